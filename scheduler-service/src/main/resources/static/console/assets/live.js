/**
 * Follows one of the console's live streams (LiveStream on the scheduler): a "snapshot" event with
 * all the page needs to draw, then an "update" event for each change, both JSON. The EventSource
 * opens the stream again by itself when it ends or breaks, and the page gets a fresh snapshot.
 */
export function follow(url, { snapshot, update, state = () => {} }) {
  const source = new EventSource(url);
  source.addEventListener("snapshot", (event) => snapshot(JSON.parse(event.data)));
  source.addEventListener("update", (event) => update(JSON.parse(event.data)));
  source.addEventListener("open", () => state("live"));
  // CLOSED: the answer was no stream at all (say, the login expired); otherwise it reconnects
  source.addEventListener("error", () =>
    state(source.readyState === EventSource.CLOSED ? "closed: reload the page" : "reconnecting…"));
  return source;
}
