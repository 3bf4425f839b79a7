// A bucket width that gives a readable chart (about 30-120 points) for any range.
const WIDTHS_S = [10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86_400, 7 * 86_400];

export function bucketWidthS(since: Date, until: Date, maxPoints = 120): number {
  const spanS = Math.max(1, (until.getTime() - since.getTime()) / 1000);
  return WIDTHS_S.find((w) => spanS / w <= maxPoints) ?? WIDTHS_S[WIDTHS_S.length - 1]!;
}
