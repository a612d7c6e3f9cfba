import type { CityProfile } from './profile';

/** 肇庆市, Guangdong: the city Rongma was built for, and the only one with a demo registry (server/seed). */
export const zhaoqing: CityProfile = {
  code: '441200',
  name: { zh: '肇庆市', en: 'Zhaoqing' },
  // County-level divisions, GB/T 2260.
  districts: {
    '441202': { zh: '端州区', en: 'Duanzhou' },
    '441203': { zh: '鼎湖区', en: 'Dinghu' },
    '441204': { zh: '高要区', en: 'Gaoyao' },
    '441223': { zh: '广宁县', en: 'Guangning' },
    '441224': { zh: '怀集县', en: 'Huaiji' },
    '441225': { zh: '封开县', en: 'Fengkai' },
    '441226': { zh: '德庆县', en: 'Deqing' },
    '441284': { zh: '四会市', en: 'Sihui' },
  },
  desk: { name: '肇庆市融资（首贷）专窗', phone: '12345', address: '肇庆市政务服务中心' },
};
