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
