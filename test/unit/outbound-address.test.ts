import { expect } from 'chai';
import { checkTarget, internalRangeOf, type HostLookup, type TargetVerdict } from '../../server/outbound-address';

/**
 * A resolver that knows a few names and nothing else (no real DNS: the machine has no outside network);
 * like DNS it reads "name." (the absolute form) as "name".
 */
function fakeDns(names: Record<string, string[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (host: string) => {
    asked.push(host);
    const addresses = names[host.replace(/\.$/, '')];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

const refusal = (v: TargetVerdict) => (v.ok ? 'allowed' : v.reason);

describe('internalRangeOf', () => {
  const internal: [string, string][] = [
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'], ['fe80::1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'], ['100.127.255.254', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'], ['240.0.0.1', 'reserved'], ['192.0.2.10', 'reserved'], ['198.18.0.1', 'reserved'],
    ['fd00::2', 'uniqueLocal'], ['fc12::1', 'uniqueLocal'],
    ['169.254.169.254', 'metadata'], ['fd00:ec2::254', 'metadata'], ['100.100.100.200', 'metadata'],
    // IPv6 forms that carry an IPv4 are judged by it.
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::a9fe:a9fe', 'metadata'], ['2002:c0a8:101::1', 'private'],
    ['::ffff:0:7f00:1', 'loopback'],
    // Neither public nor carrying a public IPv4: IPv4-compatible, Teredo, documentation, NAT64 local-use.
    ['::7f00:1', 'reserved'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'], ['2001:db8::1', 'reserved'],
    ['64:ff9b:1::a00:1', 'rfc6052'],
  ];
  for (const [address, range] of internal) {
    it(`internalRangeOf › ${address} › is ${range}`, () => expect(internalRangeOf(address)).to.equal(range));
  }
  for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8']) {
    it(`internalRangeOf › ${address} › is public`, () => expect(internalRangeOf(address)).to.equal(null));
  }
  it('internalRangeOf › when the text is no address › refuses it', () => expect(internalRangeOf('not-an-ip')).to.equal('invalid'));
});

describe('checkTarget', () => {
  const dns = fakeDns({
    'bank.example': ['93.184.216.34'], 'intranet.bank.example': ['10.8.0.5'], 'mixed.example': ['93.184.216.34', '127.0.0.1'],
    'v6.example': ['2606:4700::1111'], 'meta.example': ['169.254.169.254'], localhost: ['127.0.0.1', '::1'],
  });
  const check = (url: string, allowedHosts: string[] = []) => checkTarget(url, { allowedHosts, lookup: dns });

  it('checkTarget › when the host is written as a number, in hex, short or percent-encoded › reads it as 127.0.0.1 (WHATWG URL) and refuses it', async () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/', 'http://%31%32%37.0.0.1/', 'http://0/', 'http://[::ffff:127.0.0.1]/']) {
      const v = await check(url);
      expect(refusal(v), url).to.equal('internal');
    }
    expect(dns.asked, 'IP literals are never looked up').to.not.include('2130706433');
  });

  it('checkTarget › when a name resolves to any internal address › refuses it without echoing the address', async () => {
    const v = await check('https://mixed.example/hook');
    expect(refusal(v)).to.equal('internal');
    expect(v.ok ? '' : v.message).to.match(/own network/).and.match(/WEBHOOK_ALLOWED_HOSTS/).and.not.match(/127\.0\.0\.1/);
    expect(refusal(await check('http://LOCALHOST./x'))).to.equal('internal');
  });

  it('checkTarget › when the host is public › answers the addresses to connect to', async () => {
    const v = await check('https://bank.example:8443/hook');
    expect(v.ok && v.addresses).to.deep.equal([{ address: '93.184.216.34', family: 4 }]);
    expect(v.ok && v.host).to.equal('bank.example');
    expect((await check('http://[2606:4700::1111]/')).ok).to.equal(true);
    expect((await check('http://v6.example/')).ok).to.equal(true);
  });

  it('checkTarget › when the scheme is not http(s) › refuses it', async () => {
    for (const url of ['ftp://bank.example/x', 'file:///etc/passwd', 'gopher://bank.example/', 'javascript:alert(1)', 'not a url']) {
      expect(refusal(await check(url)), url).to.equal('scheme');
    }
  });

  it('checkTarget › when the name does not resolve › refuses it as unresolvable', async () => {
    const v = await check('https://nowhere.example/');
    expect(refusal(v)).to.equal('unresolvable');
    expect(v.ok ? '' : v.message).to.contain('ENOTFOUND');
  });

  it('checkTarget › when the resolver never answers › gives up at the deadline', async () => {
    const v = await checkTarget('https://slow.example/', { allowedHosts: [], lookup: () => new Promise(() => {}), signal: AbortSignal.timeout(50) });
    expect(refusal(v)).to.equal('unresolvable');
  });

  it('checkTarget › when WEBHOOK_ALLOWED_HOSTS lists the host name, the IP or a CIDR › lets it through', async () => {
    expect((await check('https://intranet.bank.example/', ['Intranet.Bank.Example'])).ok, 'name, case-insensitive').to.equal(true);
    expect((await check('https://intranet.bank.example./', ['intranet.bank.example'])).ok, 'trailing dot').to.equal(true);
    expect((await check('https://intranet.bank.example/', ['10.8.0.5'])).ok, 'the resolved IP').to.equal(true);
    expect((await check('https://intranet.bank.example/', ['10.8.0.0/16'])).ok, 'a CIDR around it').to.equal(true);
    expect((await check('http://[::1]:9000/', ['::1'])).ok, 'an IPv6 literal').to.equal(true);
    expect((await check('http://[::ffff:127.0.0.1]/', ['127.0.0.1'])).ok, 'the mapped form of a listed IPv4').to.equal(true);
  });

  it('checkTarget › when the list names something else › still refuses', async () => {
    expect(refusal(await check('https://intranet.bank.example/', ['bank.example']))).to.equal('internal');
    expect(refusal(await check('https://intranet.bank.example/', ['10.9.0.0/16', 'fd00::/8']))).to.equal('internal');
    expect(refusal(await check('https://intranet.bank.example/', ['other.intranet.bank.example']))).to.equal('internal');
    expect(refusal(await check('http://127.0.0.2/', ['127.0.0.1'])), 'one listed IP opens only itself').to.equal('internal');
  });

  it('checkTarget › when a cloud metadata address sits inside an allowed CIDR or behind an allowed name › still refuses it', async () => {
    expect(refusal(await check('http://169.254.169.254/latest/meta-data/', ['169.254.0.0/16']))).to.equal('internal');
    expect(refusal(await check('http://meta.example/', ['meta.example']))).to.equal('internal');
    expect(refusal(await check('http://[fd00:ec2::254]/', ['fd00::/8']))).to.equal('internal');
    expect((await check('http://169.254.169.254/', ['169.254.169.254'])).ok, 'only the exact IP opens it').to.equal(true);
  });
});
