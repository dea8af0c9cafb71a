/** Kura's mark: a storehouse. Decorative; the name beside it is the text. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg aria-hidden="true" focusable="false" width={size} height={size} viewBox="0 0 32 32" className="logo">
      <rect width="32" height="32" rx="6" fill="#1f3a5f" />
      <path d="M8 13 16 7l8 6v12H8z" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinejoin="round" />
      <path d="M12 25v-6h8v6" fill="none" stroke="#fff" strokeWidth="2.5" />
    </svg>
  );
}
