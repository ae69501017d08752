const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one HTML escaper, for text and quoted attribute values alike: customer names, invoice numbers and
 * notes come from imported files. Every attribute this project writes is quoted, so these five
 * characters suffice; "/" stays readable (mustache's default would turn it into an entity in every link).
 */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
