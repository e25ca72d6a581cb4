import { describe, expect, it } from 'vitest';
import { nearCopies } from './corpus-checks.js';

const speech =
  'The Secretary met the Foreign Minister of Ukraine today in Brussels to discuss the next package of security assistance, the repair of the power grid after the winter strikes, and the coordination of sanctions with the European Union and the G7 partners who have pledged further support this year.';

describe('nearCopies', () => {
  it('finds a second transcript of one text, edited at the edges', () => {
    const copy = `Transcript as delivered. ${speech.replace('today', 'on Tuesday')} Thank you.`;
    expect(nearCopies([{ id: 'a', text: speech }, { id: 'b', text: copy }, { id: 'c', text: 'An unrelated text about the weather in Lyon, the rain and the rivers that rose over the weekend across the whole region.' }])).toEqual([
      { a: 'a', b: 'b', share: expect.any(Number) },
    ]);
  });

  it('leaves two texts that share only a standard opening', () => {
    const preamble = 'Having regard to the Treaty on the Functioning of the European Union, and in particular Article 215 thereof,';
    const one = `${preamble} the Council adopts restrictive measures against persons responsible for cyber attacks on the member states and their institutions during the elections of last spring.`;
    const two = `${preamble} the Council extends the list of vessels of the shadow fleet that may not enter the ports of the Union nor receive services from its operators until the end of next year.`;
    expect(nearCopies([{ id: 'one', text: one }, { id: 'two', text: two }])).toEqual([]);
  });
});
