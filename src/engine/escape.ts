// Text from a file the user may not have written reaches terminals, the editor and the panel inside
// messages; a control character there could retitle or clear a terminal (ESC ] … BEL, ESC [ 2 J).
// Every message carries them escaped, visibly: ESC as \x1b, a C1 control as \x9b, and so on.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
