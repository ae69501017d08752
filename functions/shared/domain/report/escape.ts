/** Text for HTML content and attribute values: customer names, ids and notes come from imported files. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
