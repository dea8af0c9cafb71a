/** Compound File Binary (OLE2): legacy .doc/.xls/.ppt, and the wrapper of every encrypted OOXML file. */
const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/**
 * Office's password protection (MS-OFFCRYPTO) stores the real DOCX/XLSX/PPTX as a stream named
 * "EncryptedPackage" next to "EncryptionInfo". Stream names sit in the directory in UTF-16LE; a
 * name search is enough to tell "encrypted Office file" from "legacy Office file" for the message.
 */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');

export function isOleContainer(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.subarray(0, 8).equals(CFB_SIGNATURE);
}

export function isEncryptedOoxml(bytes: Buffer): boolean {
  return bytes.includes(ENCRYPTED_PACKAGE) && bytes.includes(ENCRYPTION_INFO);
}
