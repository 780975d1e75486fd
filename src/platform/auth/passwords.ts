import { hash, verify } from '@node-rs/argon2';
import { foldVietnamese } from '../text/fold.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

// argon2id with the parameters OWASP recommends (19 MiB, 2 passes); @node-rs/argon2 defaults
// to argon2id.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;

export const hashPassword = (password: string) => hash(password, OPTIONS);

/** A hash of nothing anyone knows: verified against when the user does not exist, so both take as long. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/** Why a password is refused, in Vietnamese, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`;
  if (password.length > 200) return 'Mật khẩu không được dài quá 200 ký tự.';
  const folded = foldVietnamese(password);
  const name = foldVietnamese(username);
  if (name.length >= 3 && folded.includes(name)) return 'Mật khẩu không được chứa tên đăng nhập.';
  const bare = folded.replace(/[^a-z0-9]/g, '');
  if (COMMON_PASSWORDS.has(folded) || COMMON_PASSWORDS.has(bare) || COMMON_PASSWORDS.has(bare.replace(/\d+$/, ''))) {
    return 'Mật khẩu quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.';
  }
  if (/^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghij|qwertyuiop)/i.test(password)) {
    return 'Mật khẩu quá đơn giản. Hãy chọn mật khẩu khác.';
  }
  return null;
}
