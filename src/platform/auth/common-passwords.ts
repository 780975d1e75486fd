// Passwords seen most often in public leaks, plus Vietnamese favourites; compared after folding
// and, for some, after dropping trailing digits. Extend from a larger list when one is vetted.
export const COMMON_PASSWORDS = new Set<string>([
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty', '1234567890', '111111',
  '1234567', '123123', 'abc123', 'password1', 'iloveyou', '000000', '1q2w3e4r', '123321',
  'qwertyuiop', '654321', '666666', '987654321', '123456a', '1qaz2wsx', '7777777', 'aa123456',
  'matkhau', 'matkhau123', 'admin', 'admin123', 'administrator', 'root', 'toor', 'welcome',
  'welcome1', 'letmein', 'monkey', 'dragon', 'sunshine', 'princess', 'football', 'baseball',
  'master', 'superman', 'batman', 'trustno1', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'password123',
  'changeme', 'secret', 'vietnam', 'vietnam123', 'hanoi', 'saigon', 'haiphong', 'haiduong',
  'hochiminh', 'anhyeuem', 'emyeuanh', 'yeuem', 'yeuanh', 'anhyeuem123', 'iloveyou123', '123456789a',
  '1234567890a', 'abcd1234', 'abcdef', 'abcdefgh', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'qazwsx',
  '147258369', '159753', '112233', '121212', '123654', '123qwe', 'qwe123', 'zaq12wsx',
  '88888888', '66666666', '11111111', '00000000', '12341234', '999999999', 'conmeo', 'concho',
  'hoilamgi', 'dieuhanh', 'ubnd', 'ubndtinh', 'congchuc', 'canbo', 'tinhuy', 'huyenuy',
]);
