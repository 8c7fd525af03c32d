declare module 'wink-sentiment' {
  interface Token {
    value: string;
    tag: string;
    score?: number;
  }
  function sentiment(phrase: string): { score: number; normalizedScore: number; tokenizedPhrase: Token[] };
  export default sentiment;
}
