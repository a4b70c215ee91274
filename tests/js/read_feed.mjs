// Reads an LDES with the independent `ldes-client` package and prints, as JSON, every member
// it emits: its IRI, the resource it is a version of, its rdf:types and its timestamp.
// Usage: node read_feed.mjs <feed URL>
import { replicateLDES } from "ldes-client";

const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const url = process.argv[2];
if (!url) {
  console.error("usage: node read_feed.mjs <feed URL>");
  process.exit(2);
}
const client = replicateLDES({ url, polling: false, noShape: true }, "ascending");
const reader = client.stream({ highWaterMark: 10 }).getReader();
const members = [];
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  const types = value.quads
    .filter((q) => q.subject.equals(value.id) && q.predicate.value === RDF_TYPE)
    .map((q) => q.object.value);
  members.push({
    id: value.id.value,
    isVersionOf: value.isVersionOf ?? null,
    types,
    timestamp: value.timestamp ? new Date(value.timestamp).toISOString() : null,
    quads: value.quads.length,
  });
}
console.log(JSON.stringify({ members, fragments: client.fragmentCount }));
