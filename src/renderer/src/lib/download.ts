import { api } from './api';

/** Offers text as a file download through a temporary Blob link (the web preview writes no files). */
export function downloadText(name: string, text: string, type: string): void {
  downloadBlob(name, new Blob([text], { type }));
}

function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
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

/** Offers bytes sent as base64 (an Excel workbook) as a file download. */
export function downloadBase64(name: string, base64: string, type: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  downloadBlob(name, new Blob([bytes], { type }));
}

/** How one export is written (desktop: to the path the Save dialog chose) or downloaded (web preview). */
interface ExportHow<T> {
  write: (path: string) => Promise<{ path: string; rows: number }>;
  content: () => Promise<T & { rows: number }>;
  download: (name: string, content: T) => void;
}

/**
 * Exports the way each shell can: in the desktop app to a file chosen in its Save dialog
 * (`write` gets the path), in the web preview as a download of `content()` (the preview writes
 * no files). Returns what to tell the person ("Exported 3 results to …"), or null when the
 * dialog was cancelled. `noun` is the singular of what a row is.
 */
async function exportFile<T>(name: string, noun: string, how: ExportHow<T>): Promise<string | null> {
  const plural = (n: number) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (typeof window !== 'undefined' && window.api) {
    const chosen = await api.chooseExportPath({ defaultName: name });
    if (chosen === null) return null;
    const written = await how.write(chosen.path);
    return `Exported ${plural(written.rows)} to ${written.path}.`;
  }
  const content = await how.content();
  how.download(name, content);
  return `Downloaded ${plural(content.rows)} as ${name}.`;
}

/** Exports a CSV (see {@link exportFile}). */
export async function exportCsv(
  name: string,
  noun: string,
  how: { write: (path: string) => Promise<{ path: string; rows: number }>; text: () => Promise<{ csv: string; rows: number }> },
): Promise<string | null> {
  return exportFile(name, noun, { write: how.write, content: how.text, download: (file, { csv }) => downloadText(file, csv, 'text/csv;charset=utf-8') });
}

/** Exports an Excel workbook (see {@link exportFile}); the web preview receives it as base64. */
export async function exportXlsx(
  name: string,
  noun: string,
  how: { write: (path: string) => Promise<{ path: string; rows: number }>; bytes: () => Promise<{ base64: string; rows: number }> },
): Promise<string | null> {
  return exportFile(name, noun, { write: how.write, content: how.bytes, download: (file, { base64 }) => downloadBase64(file, base64, XLSX_TYPE) });
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
