/** Check digits of Japanese and payment identifiers. Inputs are strings of ASCII digits. */

/** マイナンバー (個人番号): 12 digits, the last is the check digit (総務省令 第5条). */
export function isValidMyNumber(digits: string): boolean {
  return /^\d{12}$/.test(digits) && myNumberCheckDigit(digits.slice(0, 11)) === Number(digits[11]);
}

export function myNumberCheckDigit(first11: string): number {
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(first11[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/** 法人番号: 13 digits, the FIRST is the check digit over the following 12 (法人番号省令 第2条). */
export function isValidCorporateNumber(digits: string): boolean {
  return /^\d{13}$/.test(digits) && corporateNumberCheckDigit(digits.slice(1)) === Number(digits[0]);
}

export function corporateNumberCheckDigit(base12: string): number {
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const p = Number(base12[12 - n]);
    sum += p * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/** Luhn (mod 10) over the whole number, check digit included. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function luhnCheckDigit(withoutCheck: string): number {
  for (let d = 0; d <= 9; d++) if (passesLuhn(withoutCheck + String(d))) return d;
  throw new Error('unreachable');
}
