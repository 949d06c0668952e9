/**
 * Where JSON text stops being JSON (a character offset), for messages: V8 names the position for
 * some errors only ("Unexpected token 'x'" has none). A scanner with an explicit stack, so deep
 * nesting cannot overflow; it runs only after JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (): boolean => {
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text.charCodeAt(i) < 0x20) return false;
        if (text[i] === '\\') {
          i++;
          if (text[i] === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
            i += 4;
          } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) return false;
        }
        i++;
      }
      if (i >= text.length) return false;
      i++;
      return true;
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // Each open container: '{' or '['; `expectValue` says whether a value is due next.
  const stack: string[] = [];
  ws();
  for (;;) {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      ws();
      if ((c === '{' && text[i] === '}') || (c === '[' && text[i] === ']')) {
        stack.pop();
        i++;
      } else if (c === '{') {
        if (text[i] !== '"' || !literal()) return i;
        ws();
        if (text[i] !== ':') return i;
        i++;
        continue;
      } else continue;
    } else if (!literal()) return i;
    // After a value: close containers or go on to the next member.
    for (;;) {
      ws();
      const top = stack.at(-1);
      if (top === undefined) return i < text.length ? i : text.length;
      if (text[i] === (top === '{' ? '}' : ']')) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return i;
      i++;
      ws();
      if (top === '{') {
        if (text[i] !== '"' || !literal()) return i;
        ws();
        if (text[i] !== ':') return i;
        i++;
      }
      break;
    }
  }
}
