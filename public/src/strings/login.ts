import { registerStrings, type StringTable } from '../i18n';

/** The staff sign-in page. */
export const loginStrings = {
  'login.title': { zh: '工作人员登录', en: 'Staff sign-in' },
  'login.pageTitle': { zh: '工作人员登录 · 融码', en: 'Staff sign-in · Rongma' },
  'login.intro': { zh: '供银行客户经理、银行管理员、金融服务专窗及系统管理员使用。', en: 'For bank loan officers, bank administrators, the financing desk and system administrators.' },
  'login.username': { zh: '用户名', en: 'Username' },
  'login.password': { zh: '密码', en: 'Password' },
  'login.submit': { zh: '登录', en: 'Sign in' },
  'login.busy': { zh: '正在登录…', en: 'Signing in…' },
  'login.error.invalid_credentials': { zh: '用户名或密码错误。', en: 'Wrong username or password.' },
  'login.error.account_locked': { zh: '密码错误次数过多，账户已锁定至 {time}，请稍后重试或联系管理员解锁。', en: 'Too many wrong passwords: the account is locked until {time}. Try later or ask an administrator to unlock it.' },
  'login.error.validation_error': { zh: '请输入用户名和密码。', en: 'Enter your username and password.' },
  'login.error.rate_limited': { zh: '本网络登录失败次数过多，请 {time} 后再试，或联系管理员。', en: 'Too many failed sign-ins from this network: try again after {time}, or ask an administrator.' },
  'login.error.network': { zh: '无法连接服务器，请检查网络后重试。', en: 'Cannot reach the server. Check the network and try again.' },
  'login.error.other': { zh: '登录失败，请稍后重试。', en: 'Sign-in failed. Please try again later.' },
  'login.applicant': { zh: '企业申请融资请扫描二维码或访问', en: 'Companies seeking finance: scan a Rongma QR code or visit' },
  'login.catalogue': { zh: '产品目录', en: 'the product catalogue' },
  'login.demo.title': { zh: '演示账号', en: 'Demo accounts' },
  'login.demo.body': { zh: '本系统载入了演示数据，可用以下账号登录，密码均为 {password}', en: 'This installation holds demo data. Sign in with one of these accounts; the password is {password}' },
} as const satisfies StringTable;
registerStrings(loginStrings);
