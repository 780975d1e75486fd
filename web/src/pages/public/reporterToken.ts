// The secret that proves the reporter (returned once on submission) is kept in this browser, so the
// same phone can rate and reopen without typing anything.
const PREFIX = 'dh.fb.token.';

export function saveReporterToken(code: string, token: string): void {
  try {
    localStorage.setItem(PREFIX + code, token);
  } catch {
    // private mode: the citizen can still prove it with the phone or e-mail given
  }
}

export function reporterToken(code: string): string | null {
  try {
    return localStorage.getItem(PREFIX + code);
  } catch {
    return null;
  }
}
