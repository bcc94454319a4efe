/**
 * Sizes as people read them: "820 KiB", "12.4 MiB", "512 MiB", "1.0 GiB" (kibibytes below a
 * mebibyte, at least 1; otherwise one decimal unless the size is whole).
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 ** 2) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-GB')} KiB`;
  const [value, unit] = bytes < 1024 ** 3 ? [bytes / 1024 ** 2, 'MiB'] : [bytes / 1024 ** 3, 'GiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
