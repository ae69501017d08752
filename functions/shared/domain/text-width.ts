import stringWidth from 'string-width';

/**
 * Padding by the columns a terminal gives text, not by UTF-16 units: a Japanese name or an emoji
 * takes two columns per character, a combining accent none, so tables with customer names align.
 */

export const displayWidth = (text: string): number => stringWidth(text);

export const padEndTo = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - stringWidth(text)));

export const padStartTo = (text: string, width: number): string =>
  ' '.repeat(Math.max(0, width - stringWidth(text))) + text;
