// Hands a text to the browser as a file download (a Blob URL on a temporary link): the API answers need the
// bearer token, so a plain link cannot fetch them.
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may still be reading it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** A cohort's name as a file name's part. */
export const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'cohort';
