/**
 * Cuts a JSON array arriving in chunks into the text of its elements, so a 100k-invoice export is
 * parsed one element at a time (JSON.parse on each) instead of as one giant document. It tracks only
 * nesting and strings; everything else about the syntax is left to JSON.parse on the element.
 */
export class JsonArraySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonArraySyntaxError';
  }
}

type State = 'before-array' | 'before-element' | 'after-element' | 'in-element' | 'done';

const isBlank = (char: string) => char === ' ' || char === '\n' || char === '\r' || char === '\t';

export class JsonArraySplitter {
  private state: State = 'before-array';
  private element = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** An element that is a bare value (number, literal): it ends at the next comma, bracket or blank. */
  private bare = false;
  /** After a comma an element must follow: `[1,]` is not JSON. */
  private afterComma = false;
  private elements = 0;
  /** The editor's line the reading is on, and the one the current element started on. */
  private line = 1;
  private elementLine = 1;

  /**
   * Feeds the next chunk; returns the text of each element completed by it, with its first line.
   * Long on purpose: one switch over the states, per character, is the hot loop of a 100k-row import.
   */
  push(chunk: string): { text: string; line: number }[] {
    const completed: { text: string; line: number }[] = [];
    let start = this.state === 'in-element' ? 0 : -1;
    for (let index = 0; index < chunk.length; index += 1) {
      const char = chunk[index] as string;
      if (char === '\n') this.line += 1;
      switch (this.state) {
        case 'before-array':
          if (char === '\uFEFF' || isBlank(char)) break;
          if (char !== '[')
            throw new JsonArraySyntaxError('expected a JSON array of objects ("[ {...}, ... ]")');
          this.state = 'before-element';
          break;
        case 'before-element':
          if (isBlank(char)) break;
          if (char === ']') {
            if (this.afterComma)
              throw new JsonArraySyntaxError(`a comma is followed by "]" after element ${this.elements}`);
            this.state = 'done';
            break;
          }
          if (char === ',') throw new JsonArraySyntaxError(`unexpected "," after element ${this.elements}`);
          this.state = 'in-element';
          this.element = '';
          this.elementLine = this.line;
          start = index;
          this.depth = 0;
          this.bare = char !== '{' && char !== '[' && char !== '"';
          this.inString = false;
          this.escaped = false;
          if (!this.bare) this.step(char);
          break;
        case 'in-element': {
          if (this.bare) {
            if (char === ',' || char === ']' || isBlank(char)) {
              completed.push(this.finish(chunk.slice(start, index)));
              if (char === '\n') this.line -= 1; // seen again by after-element
              index -= 1; // let after-element see the delimiter
            }
            break;
          }
          this.step(char);
          if ((this.state as State) === 'after-element')
            completed.push(this.finish(chunk.slice(start, index + 1)));
          break;
        }
        case 'after-element':
          if (isBlank(char)) break;
          if (char === ',') {
            this.state = 'before-element';
            this.afterComma = true;
            break;
          }
          if (char === ']') {
            this.state = 'done';
            break;
          }
          throw new JsonArraySyntaxError(`expected "," or "]" after element ${this.elements}`);
        case 'done':
          if (!isBlank(char)) throw new JsonArraySyntaxError('unexpected text after the closing "]"');
          break;
      }
    }
    if (this.state === 'in-element' && start >= 0) this.element += chunk.slice(start);
    return completed;
  }

  /** Call at the end of input: the array must be closed. */
  end(): void {
    if (this.state === 'before-array') throw new JsonArraySyntaxError('the file holds no JSON array');
    if (this.state !== 'done') throw new JsonArraySyntaxError('the JSON array is not closed with "]"');
  }

  private step(char: string): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (char === '\\') this.escaped = true;
      else if (char === '"') {
        this.inString = false;
        if (this.depth === 0) this.state = 'after-element';
      }
      return;
    }
    if (char === '"') this.inString = true;
    else if (char === '{' || char === '[') this.depth += 1;
    else if (char === '}' || char === ']') {
      this.depth -= 1;
      if (this.depth === 0) this.state = 'after-element';
    }
  }

  private finish(tail: string): { text: string; line: number } {
    const text = this.element + tail;
    this.element = '';
    this.state = 'after-element';
    this.afterComma = false;
    this.elements += 1;
    return { text, line: this.elementLine };
  }
}
