/** The part of opentype.js (which ships no types) that the text-to-path step uses. */
declare module 'opentype.js' {
  export interface Path {
    toPathData(options?: { decimalPlaces?: number; optimize?: boolean; flipY?: boolean }): string;
  }
  export interface Glyph {
    readonly advanceWidth?: number;
    getPath(x: number, y: number, fontSize: number): Path;
  }
  export interface Font {
    readonly unitsPerEm: number;
    charToGlyph(c: string): Glyph;
    getKerningValue(left: Glyph, right: Glyph): number;
  }
  export function parse(buffer: ArrayBuffer): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}
