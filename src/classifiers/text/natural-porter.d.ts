// natural ships types only for its package root; importing the root is slow and prints to stdout, so the
// one sub-path we use is declared here.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
