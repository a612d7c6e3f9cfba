import type { CityProfile } from './profile';

/** 湘潭市, Hunan: the second profile, proving the service runs for a city other than the one it was built for. */
export const xiangtan: CityProfile = {
  code: '430300',
  name: { zh: '湘潭市', en: 'Xiangtan' },
  // County-level divisions, GB/T 2260.
  districts: {
    '430302': { zh: '雨湖区', en: 'Yuhu' },
    '430304': { zh: '岳塘区', en: 'Yuetang' },
    '430321': { zh: '湘潭县', en: 'Xiangtan County' },
    '430381': { zh: '湘乡市', en: 'Xiangxiang' },
    '430382': { zh: '韶山市', en: 'Shaoshan' },
  },
  desk: { name: '湘潭市融资（首贷）专窗', phone: '12345', address: '湘潭市政务服务中心' },
};
