// The terminal's width for wrapped text: its columns less one (a full line would wrap by itself), or no
// limit when the output is not a terminal (a file or a pipe keeps the same bytes whatever the window).
export const terminalWidth = (): number => (process.stdout.isTTY === true && process.stdout.columns > 20 ? process.stdout.columns - 1 : Number.POSITIVE_INFINITY);
