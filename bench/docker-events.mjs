// The engine's event stream (`docker events`, newline-delimited JSON) as one call per event, with
// the event's own time in ms: what the Docker benches time an effect by.
export function eachDockerEvent(stream, onEvent) {
  let buf = '';
  stream.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) {
        const e = JSON.parse(line);
        onEvent(e, e.timeNano / 1e6);
      }
    }
  });
}
