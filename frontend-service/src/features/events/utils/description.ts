/** The organizer's text as paragraphs: a blank line starts a new one, a single line break stays. */
export function descriptionParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[^\S\n]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
}
