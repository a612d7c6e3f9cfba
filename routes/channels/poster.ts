import { assetUrl } from '../../server/assets';
import type { Bilingual } from '../../server/domain/cities';
import { escapeHtml } from '../../server/html';

export type PosterLang = 'zh' | 'en';

/** The poster's text in each language (the lead names the city); the channel's own name stays as the desk wrote it. */
const text: Record<PosterLang, { html: string; title: string; heading: string; lead: (city: string) => string; steps: [string, string, string]; phone: string; code: string }> = {
  zh: {
    html: 'zh-CN', title: '融码海报', heading: '融码 · 企业融资一码通', lead: (city) => `扫码了解${city}各银行信贷产品，在线申请首贷`,
    steps: ['用手机微信或相机扫描上方二维码', '填写企业基本信息，查看可申请的贷款产品', '选择产品并授权提交，银行将在1个工作日内受理'],
    phone: '咨询电话：', code: '编码',
  },
  en: {
    html: 'en', title: 'Rongma poster', heading: 'Rongma · one code for business finance', lead: (city) => `Scan to see ${city}’s bank credit products and apply for a first loan online`,
    steps: ['Scan the code above with WeChat or your phone’s camera', 'Enter your company’s details and see the loans it qualifies for', 'Choose products and consent to send: a bank accepts within 1 working day'],
    phone: 'Enquiries: ', code: 'code',
  },
};

/** A printable A4 page: the code, the channel's name and three lines of instructions, in Chinese or English. */
export function posterHtml(o: { lang: PosterLang; city: Bilingual; channelName: string; code: string; url: string; qrSvg: string; deskPhone: string }): string {
  const s = text[o.lang];
  return `<!doctype html>
<html lang="${s.html}">
<head>
  <meta charset="utf-8">
  <title>${s.title} · ${escapeHtml(o.channelName)}</title>
  <link rel="stylesheet" href="${assetUrl('poster.css')}">
</head>
<body>
  <article class="poster">
    <h1>${s.heading}</h1>
    <p class="lead">${escapeHtml(s.lead(o.city[o.lang]))}</p>
    <div class="qr">${o.qrSvg}</div>
    <p class="channel">${escapeHtml(o.channelName)}</p>
    <ol class="steps">
${s.steps.map((step) => `      <li>${step}</li>`).join('\n')}
    </ol>
    <p class="foot">${s.phone}${escapeHtml(o.deskPhone)} · ${s.code} ${escapeHtml(o.code)}</p>
    <p class="url">${escapeHtml(o.url)}</p>
  </article>
</body>
</html>`;
}
