import type { Language } from '../config/framework-schema.js';

/**
 * Prepositions that give a framework phrase its direction (who gives to whom, who is targeted), by language.
 * Words of one class stand in for each other ("weapons for Ukraine" ~ "weapons to Ukraine"); prepositions
 * not listed ("of", "in", uk/ru «в»/«у», fr «de») are free. Where a case ending carries the direction (uk/ru
 * dative «допомога Україні», instrumental agents), there is no preposition to list: such phrases are written
 * without one. A word belongs to one class only: the class of a phrase is that of the word written in it.
 */
export const PHRASE_LINKS: Readonly<Record<Language, readonly (readonly string[])[]>> = {
  en: [['to', 'for', 'into', 'toward'], ['on', 'against'], ['with'], ['from'], ['by']],
  // «до України» is "to Ukraine"; «на», «проти» and «щодо» target ("тиск на Росію", "санкції щодо Росії");
  // «з» is "with" far more often than "from" in this vocabulary («співпраця з», «переговори з»).
  uk: [['для', 'до'], ['проти', 'щодо', 'на'], ['з', 'із', 'зі'], ['від']],
  // «в отношении России» stands beside «против России» in Kremlin statements and decrees («санкции в отношении
  // России», «враждебная линия в отношении России»): «отношении» links.
  ru: [['для', 'к'], ['против', 'отношении', 'на'], ['с', 'со'], ['от', 'из']],
  de: [['an', 'für', 'nach'], ['gegen', 'auf'], ['mit'], ['von', 'aus'], ['durch']],
  // «à l'encontre de la Russie» is the formal variant of «contre la Russie»: «encontre» links.
  fr: [['à', 'au', 'aux', 'pour', 'vers'], ['contre', 'encontre', 'sur'], ['avec'], ['depuis'], ['par']],
};

/**
 * Languages that write compounds as one word («Sanktionspaket», «Waffenlieferungen»): their texts are read with
 * a splitter that knows the framework's own words in that language, so a term can match inside a compound.
 */
export const WRITES_COMPOUNDS: Readonly<Record<Language, boolean>> = { en: false, uk: false, ru: false, de: true, fr: false };
