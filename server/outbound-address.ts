import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one rule for where the service may send a request of its own (a bank's webhook): http(s) to a
 * public unicast address, never into the network the service runs in, unless an operator listed the
 * target in WEBHOOK_ALLOWED_HOSTS (SPEC "Hardening").
 */

/** One answer of a host-name lookup, as `dns.promises.lookup(host, {all: true})` gives it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; injectable so tests can play DNS (and DNS rebinding). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export type TargetVerdict =
  | { ok: true; url: URL; host: string; addresses: ResolvedAddress[] }
  | { ok: false; reason: 'scheme' | 'unresolvable' | 'internal'; message: string; address?: string; range?: string };

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** IPv6 outside 2000::/3 is not global unicast today (IPv4-compatible ::a.b.c.d, ::/8, 0100::/64 …). */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const TRANSLATED = ipaddr.parseCIDR('::ffff:0:0:0/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');

/**
 * Cloud metadata services (AWS/GCP/Azure/Tencent link-local, AWS IPv6, Alibaba Cloud in CGNAT space).
 * They stay refused even inside an allowed CIDR or behind an allowed host name: only the exact IP listed
 * opens one.
 */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '169.254.0.23', 'fd00:ec2::254', '100.100.100.200']);

const LABELS: Record<string, string> = {
  loopback: 'loopback', private: 'private (RFC 1918)', uniqueLocal: 'unique-local (RFC 4193)', linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT', unspecified: 'unspecified', multicast: 'multicast', broadcast: 'broadcast',
  metadata: 'cloud metadata', teredo: 'Teredo tunnel', rfc6052: 'NAT64 local-use', invalid: 'unparseable',
};

/** A range name in words, for messages. */
export function describeRange(range: string): string {
  return LABELS[range] ?? range.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function parse(address: string): Ip | null {
  try {
    // process() unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 it stands for.
    return ipaddr.process(address.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    return null;
  }
}

/** The IPv4 an IPv6 address carries and is routed by (NAT64, SIIT-translated, 6to4), if any. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const b = ip.toByteArray();
  if (ip.match(NAT64) || ip.match(TRANSLATED)) return new ipaddr.IPv4(b.slice(12, 16));
  if (ip.match(SIX_TO_FOUR)) return new ipaddr.IPv4(b.slice(2, 6));
  return null;
}

/**
 * Why an address is not one the service may call ('loopback', 'private', 'linkLocal', 'metadata' …),
 * or null for a public unicast address. An IPv6 form that carries an IPv4 is judged by that IPv4.
 */
export function internalRangeOf(address: string): string | null {
  const ip = parse(address);
  if (!ip) return 'invalid';
  if (METADATA.has(ip.toNormalizedString()) || METADATA.has(ip.toString())) return 'metadata';
  if (ip.kind() === 'ipv4') {
    const range = ip.range();
    return range === 'unicast' ? null : range;
  }
  const v6 = ip as ipaddr.IPv6;
  const inner = embeddedIPv4(v6);
  if (inner) return internalRangeOf(inner.toString());
  const range = v6.range();
  if (range !== 'unicast') return range;
  return v6.match(GLOBAL_UNICAST) ? null : 'reserved';
}

/** Waits for a promise, but no longer than the signal allows (a stuck resolver must not hold the caller). */
function beforeDeadline<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

interface AllowList {
  names: Set<string>;
  nets: [Ip, number][];
}

const bareName = (host: string) => host.toLowerCase().replace(/\.$/, '');

function compileAllowList(entries: readonly string[]): AllowList {
  const list: AllowList = { names: new Set(), nets: [] };
  for (const entry of entries) {
    if (entry.includes('/')) {
      try {
        const [net, bits] = ipaddr.parseCIDR(entry);
        list.nets.push([net, bits]);
      } catch { /* config.ts refuses such entries at start */ }
      continue;
    }
    const ip = parse(entry);
    if (ip) list.nets.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    else list.names.add(bareName(entry));
  }
  return list;
}

/** Whether an allowed IP or CIDR covers the address; `exact` only counts a single listed address. */
function listedIp(list: AllowList, address: string, exact = false): boolean {
  const ip = parse(address);
  if (!ip) return false;
  return list.nets.some(([net, bits]) => net.kind() === ip.kind() && (!exact || bits === (ip.kind() === 'ipv4' ? 32 : 128)) && ip.match(net, bits));
}

function refusedFor(address: string, range: string, list: AllowList, nameListed: boolean): boolean {
  if (range === 'metadata') return !listedIp(list, address, true);
  return !nameListed && !listedIp(list, address);
}

/**
 * Checks a target URL: http(s), its host parsed the WHATWG way (2130706433, 0x7f.1 and 127.1 all become
 * 127.0.0.1), resolved, and refused if ANY of its addresses is internal and not allowed. A listed host
 * name lets its own addresses through (it trusts that name's DNS); a listed IP or CIDR is matched
 * against the resolved address. On success the caller connects to `addresses`, never to a second answer.
 */
export async function checkTarget(target: string, options: { allowedHosts: readonly string[]; lookup?: HostLookup; signal?: AbortSignal }): Promise<TargetVerdict> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, reason: 'scheme', message: 'must be an absolute http or https URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme', message: 'must be an http or https URL' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const family = isIP(host);
  if (family) addresses = [{ address: host, family }];
  else {
    try {
      const answer = (options.lookup ?? systemLookup)(host);
      addresses = await (options.signal ? beforeDeadline(answer, options.signal) : answer);
    } catch (err) {
      const code = options.signal?.aborted ? 'no answer in time' : (err as NodeJS.ErrnoException).code;
      return { ok: false, reason: 'unresolvable', message: `host ${host} does not resolve to an address${code ? ` (${code})` : ''}` };
    }
    if (!addresses.length) return { ok: false, reason: 'unresolvable', message: `host ${host} does not resolve to an address` };
  }
  const list = compileAllowList(options.allowedHosts);
  const nameListed = !family && list.names.has(bareName(host));
  for (const { address } of addresses) {
    const range = internalRangeOf(address);
    if (range && refusedFor(address, range, list, nameListed)) {
      // A resolved address is not echoed back: the bank admin reading this must not learn our internal DNS.
      const what = family ? `is an internal address (${host}, ${describeRange(range)})` : `resolves to an internal address (${describeRange(range)})`;
      return {
        ok: false, reason: 'internal', address, range,
        message: `${what}, inside the service's own network; webhooks go to public addresses only, unless an operator lists the host in WEBHOOK_ALLOWED_HOSTS`,
      };
    }
  }
  return { ok: true, url, host, addresses };
}

/**
 * What a bank admin is told about a refused target (at save, and in a delivery's lastError): the same words
 * whether the name does not resolve or resolves inside the service's network, so that nobody can map the
 * internal host names by trying them. The verdict's own message, with the reason, goes to the server log only.
 */
export const UNREACHABLE_TARGET = 'is not a reachable public address: webhooks go to public addresses only, unless an operator lists the host in WEBHOOK_ALLOWED_HOSTS';

/** The refusal as the caller may read it: a wrong scheme says so, anything about addresses is UNREACHABLE_TARGET. */
export const shownRefusal = (verdict: Extract<TargetVerdict, { ok: false }>) => (verdict.reason === 'scheme' ? verdict.message : UNREACHABLE_TARGET);
