// Just enough of Masterminds/semver (which fluxd uses for `semver:` tag filters): lenient
// version parsing and the common constraint forms (=, !=, <, <=, >, >=, ~, ^, x-ranges,
// hyphen ranges, `,`/space for AND, `||` for OR).

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(s: string): Version | null {
  const m = VERSION.exec(s);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1; // a release outranks its pre-releases
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareSemver(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

type Check = (v: Version) => boolean;

const PART = /^(!=|>=|<=|=>|=<|>|<|=|~>|~|\^)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?$/;
const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);

/** One comparison; null when it does not parse. */
function comparison(text: string): Check | null {
  if (text === '*' || text === 'x' || text === 'X') return () => true;
  const m = PART.exec(text);
  if (!m) return null;
  const op = m[1] ?? '';
  const [maj, min, pat] = [m[2], m[3], m[4]];
  const base: Version = { major: wild(maj) ? 0 : Number(maj), minor: wild(min) ? 0 : Number(min), patch: wild(pat) ? 0 : Number(pat), pre: m[5] ?? '' };
  const cmp = (v: Version) => compareSemver(v, base);
  const next = (level: 'major' | 'minor'): Version =>
    level === 'major' ? { major: base.major + 1, minor: 0, patch: 0, pre: '' } : { major: base.major, minor: base.minor + 1, patch: 0, pre: '' };
  const below = (top: Version) => (v: Version) => compareSemver(v, top) < 0;
  const wildLevel = wild(maj) ? 'all' : wild(min) ? 'major' : wild(pat) ? 'minor' : 'none';
  switch (op) {
    case '':
    case '=':
      if (wildLevel === 'all') return () => true;
      if (wildLevel === 'none') return (v) => cmp(v) === 0;
      return (v) => cmp(v) >= 0 && below(next(wildLevel))(v);
    case '!=':
      return (v) => cmp(v) !== 0;
    case '>':
      return wildLevel === 'none' ? (v) => cmp(v) > 0 : (v) => !below(next(wildLevel === 'all' ? 'major' : wildLevel))(v);
    case '>=':
    case '=>':
      return (v) => cmp(v) >= 0;
    case '<':
      return (v) => cmp(v) < 0;
    case '<=':
    case '=<':
      return wildLevel === 'none' ? (v) => cmp(v) <= 0 : below(next(wildLevel === 'all' ? 'major' : wildLevel));
    case '~':
    case '~>':
      return (v) => cmp(v) >= 0 && below(next(wildLevel === 'major' ? 'major' : 'minor'))(v);
    case '^': {
      const top = base.major > 0 || wildLevel === 'major' ? next('major') : base.minor > 0 || wildLevel === 'minor' ? next('minor') : { ...base, patch: base.patch + 1, pre: '' };
      return (v) => cmp(v) >= 0 && below(top)(v);
    }
  }
  return null;
}

/** Does `tag` satisfy `constraint`? null when the constraint is invalid. */
export function satisfies(tag: string, constraint: string): boolean | null {
  const alternatives: Check[][] = [];
  for (const alt of constraint.split('||')) {
    const text = alt.trim().replace(/\s*(!=|>=|<=|=>|=<|>|<|=|~>|~|\^)\s*/g, ' $1').trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const parts = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/[\s,]+/).filter(Boolean);
    if (parts.length === 0) return null;
    const checks = parts.map(comparison);
    if (checks.some((c) => c === null)) return null;
    alternatives.push(checks as Check[]);
  }
  const v = parseSemver(tag);
  if (!v) return false;
  // Without a pre-release in the constraint, pre-release versions never match.
  if (v.pre !== '' && !constraint.includes('-')) return false;
  return alternatives.some((checks) => checks.every((c) => c(v)));
}
