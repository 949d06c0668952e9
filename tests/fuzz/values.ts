import type { Random } from './random';

/**
 * Hostile and ordinary values the mutators put into cells, fields and columns: texts that are
 * huge, full of control characters or Excel's _xHHHH_ escapes, numbers as odd literals (0x1A,
 * 1e999, NaN), dates, booleans. Deterministic from the case's random source (uuids too).
 */

const controlChars = () => Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');

export function uuidFrom(rnd: Random): string {
  const hex = Array.from({ length: 32 }, () => rnd.int(16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function hostileText(rnd: Random): string {
  return rnd.weighted<() => string>([
    [4, () => 'ふつうの記入'],
    [2, () => `・テーマ一\n・テーマ二\n続きの行`],
    [2, () => 'あ'.repeat(rnd.pick([1000, 50_000, 999_999, 1_000_001, 2_000_000]))],
    [2, () => `制御${controlChars()}文字`],
    [2, () => 'ベル_x0007_と_x000D_改行_x0000_'],
    [1, () => '\u202e右から左\u200b\ufeff'],
    [1, () => '🎌'.repeat(rnd.between(1, 3000))],
    [1, () => ''],
    [1, () => '   '],
    [1, () => '=SUM(A1:A9)'],
    [1, () => '\ud800壊れたサロゲート'],
    [1, () => '国際部\n宇宙開発部'],
    [1, () => '国際部、中小企業部'],
    [1, () => '3,300社'],
    [1, () => '１２３４'],
    [1, () => '1'.repeat(rnd.pick([20, 400, 5000, 200_000]))],
    [1, () => '-0'],
    [1, () => '0x1A'],
    [1, () => '1e999'],
    [1, () => 'NaN'],
    [1, () => 'Infinity'],
    [1, () => '<script>alert(1)</script>'],
    [1, () => '__proto__'],
  ])();
}

/** A number literal as it could stand in a sheet's `<v>` (or a JSON file), valid or not. */
export function numberLiteral(rnd: Random): string {
  return rnd.pick(['0', '12', '-5', '3.14159', '1e308', '1e999', '-1e999', '0x1A', 'NaN', 'Infinity', '1,000', '', ' 7 ', '1e-400', '9007199254740993', '1'.repeat(400), '12abc', '١٢', '4.9e-324']);
}
