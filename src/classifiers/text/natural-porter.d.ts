// natural ships types only for its package root; importing the root is slow and prints to stdout, so the
// sub-paths we use are declared here.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_uk.js' {
  const PorterStemmerUk: { stem(token: string): string };
  export default PorterStemmerUk;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_ru.js' {
  const PorterStemmerRu: { stem(token: string): string };
  export default PorterStemmerRu;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_de.js' {
  const PorterStemmerDe: { stem(token: string): string };
  export default PorterStemmerDe;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_fr.js' {
  const PorterStemmerFr: { stem(token: string): string };
  export default PorterStemmerFr;
}
