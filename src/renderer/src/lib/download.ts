import { api } from './api';

/** Offers text as a file download through a temporary Blob link (the web preview writes no files). */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the link; free the Blob once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Exports a CSV the way each shell can: in the desktop app to a file chosen in its Save dialog
 * (`write` gets the path), in the web preview as a download of `text()` (the preview writes no
 * files). Returns what to tell the person ("Exported 3 results to …"), or null when the dialog
 * was cancelled. `noun` is the singular of what a row is.
 */
export async function exportCsv(
  name: string,
  noun: string,
  how: { write: (path: string) => Promise<{ path: string; rows: number }>; text: () => Promise<{ csv: string; rows: number }> },
): Promise<string | null> {
  const plural = (n: number) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (typeof window !== 'undefined' && window.api) {
    const chosen = await api.chooseExportPath({ defaultName: name });
    if (chosen === null) return null;
    const written = await how.write(chosen.path);
    return `Exported ${plural(written.rows)} to ${written.path}.`;
  }
  const { csv, rows } = await how.text();
  downloadText(name, csv, 'text/csv;charset=utf-8');
  return `Downloaded ${plural(rows)} as ${name}.`;
}
