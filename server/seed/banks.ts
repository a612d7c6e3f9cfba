import type { BankKind } from '../../models/banks';

export interface SeedBank {
  code: string;
  name: string;
  shortName: string;
  kind: BankKind;
  /** For county rural commercial banks: the districts they serve (their products are limited to them). */
  home?: string[];
}

/** 25 banks that operate in Zhaoqing. */
export const seedBanks: SeedBank[] = [
  { code: 'ICBC', name: '中国工商银行', shortName: '工商银行', kind: 'state_owned' },
  { code: 'ABC', name: '中国农业银行', shortName: '农业银行', kind: 'state_owned' },
  { code: 'BOC', name: '中国银行', shortName: '中国银行', kind: 'state_owned' },
  { code: 'CCB', name: '中国建设银行', shortName: '建设银行', kind: 'state_owned' },
  { code: 'BOCOM', name: '交通银行', shortName: '交通银行', kind: 'state_owned' },
  { code: 'PSBC', name: '中国邮政储蓄银行', shortName: '邮储银行', kind: 'state_owned' },
  { code: 'ADBC', name: '中国农业发展银行', shortName: '农发行', kind: 'policy' },
  { code: 'CMB', name: '招商银行', shortName: '招商银行', kind: 'joint_stock' },
  { code: 'CIB', name: '兴业银行', shortName: '兴业银行', kind: 'joint_stock' },
  { code: 'SPDB', name: '上海浦东发展银行', shortName: '浦发银行', kind: 'joint_stock' },
  { code: 'CITIC', name: '中信银行', shortName: '中信银行', kind: 'joint_stock' },
  { code: 'CEB', name: '中国光大银行', shortName: '光大银行', kind: 'joint_stock' },
  { code: 'CMBC', name: '中国民生银行', shortName: '民生银行', kind: 'joint_stock' },
  { code: 'PAB', name: '平安银行', shortName: '平安银行', kind: 'joint_stock' },
  { code: 'CGB', name: '广发银行', shortName: '广发银行', kind: 'joint_stock' },
  { code: 'GZCB', name: '广州银行', shortName: '广州银行', kind: 'city_commercial' },
  { code: 'GHB', name: '广东华兴银行', shortName: '华兴银行', kind: 'city_commercial' },
  { code: 'NYB', name: '广东南粤银行', shortName: '南粤银行', kind: 'city_commercial' },
  { code: 'DGB', name: '东莞银行', shortName: '东莞银行', kind: 'city_commercial' },
  { code: 'CRB', name: '珠海华润银行', shortName: '华润银行', kind: 'city_commercial' },
  { code: 'ZQRCB', name: '广东肇庆农村商业银行', shortName: '肇庆农商银行', kind: 'rural_commercial', home: ['441202', '441203'] },
  { code: 'GYRCB', name: '广东高要农村商业银行', shortName: '高要农商银行', kind: 'rural_commercial', home: ['441204'] },
  { code: 'SHRCB', name: '广东四会农村商业银行', shortName: '四会农商银行', kind: 'rural_commercial', home: ['441284'] },
  { code: 'HJRCB', name: '广东怀集农村商业银行', shortName: '怀集农商银行', kind: 'rural_commercial', home: ['441224'] },
  { code: 'DQRCB', name: '广东德庆农村商业银行', shortName: '德庆农商银行', kind: 'rural_commercial', home: ['441226'] },
];

const streets: Record<string, string[]> = {
  '441202': ['端州区天宁北路', '端州区信安五路', '端州区建设三路', '端州区星湖大道'],
  '441203': ['鼎湖区坑口街道鼎湖大道', '鼎湖区桂城新区迎宾大道'],
  '441204': ['高要区南岸街道府前大街', '高要区金渡镇金渡大道'],
  '441223': ['广宁县南街镇城南路'],
  '441224': ['怀集县怀城街道解放路'],
  '441225': ['封开县江口街道封州二路'],
  '441226': ['德庆县德城街道朝阳西路'],
  '441284': ['四会市东城街道四会大道', '四会市城中街道光明路'],
};

const countyName: Record<string, string> = {
  '441202': '端州', '441203': '鼎湖', '441204': '高要', '441223': '广宁', '441224': '怀集', '441225': '封开', '441226': '德庆', '441284': '四会',
};

export interface SeedBranch {
  name: string;
  district: string;
  address: string;
  phone: string;
}

/** Branches: a city branch in Duanzhou for every bank, county sub-branches by reach. */
export function seedBranchesOf(bank: SeedBank, bankIndex: number): SeedBranch[] {
  const all = Object.keys(countyName);
  const districts = bank.home
    ?? (bank.kind === 'state_owned' ? all : bank.kind === 'policy' ? ['441202', '441204', '441224', '441226'] : bank.kind === 'joint_stock' ? ['441202', '441284'] : ['441202']);
  return districts.map((district, i) => {
    const street = streets[district]![(bankIndex + i) % streets[district]!.length]!;
    const isCity = i === 0 && !bank.home;
    return {
      name: isCity ? `${bank.shortName}肇庆分行` : bank.home && i === 0 ? `${bank.shortName}营业部` : `${bank.shortName}${countyName[district]}支行`,
      district,
      address: `${street}${(bankIndex * 7 + i * 13) % 180 + 8}号`,
      phone: `0758-${2200000 + bankIndex * 1013 + i * 97}`,
    };
  });
}
