/** "1 risk", "2 risks", "0 risks"; `many` for words that do not just take an "s" ("entries"). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}
