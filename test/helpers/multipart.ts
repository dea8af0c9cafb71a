/** A multipart/form-data request (payload and headers): text fields and files, in order. */
export function multipartBody(
  auth: Record<string, string>,
  parts: ({ name: string; value: string } | { name: string; fileName: string; content: Buffer | string })[],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kura${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'fileName' in part
        ? `form-data; name="${part.name}"; filename="${part.fileName.replace(/"/g, '%22')}"`
        : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n`));
    if ('fileName' in part) chunks.push(Buffer.from('Content-Type: application/octet-stream\r\n'));
    chunks.push(
      Buffer.from('\r\n'),
      Buffer.from('fileName' in part ? part.content : part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
