import type { Lang } from './lang.js';

// Function words that carry no topic. Words that change a policy statement's meaning are deliberately absent
// in every language: negations (not, не, ні, нет, nicht, kein, ne, pas) and "against" (проти, против, gegen,
// contre), as are "new", "further", "off". Prepositions of direction (to, for, on, до, для, на, an, für, à,
// pour) ARE function words here, as in English: they stay tokens, and phrase links read them between content
// words, but they do not count as content.
const LISTS: Readonly<Record<Lang, string>> = {
  en: `a an the and or but if of to in on at by for with from as into onto over under about between
  through during before after above below then once here there when where why
  how all any both each few most other some such nor only own same so than too very s t can will
  just don should now is are was were be been being have has had having do does did doing i me my we our ours
  you your he him his she her it its they them their what which who whom this that these those am would could
  shall may might must also said says say one two three its it's us u mr ms dr per via`,
  uk: `і й та а але або чи що щоб як це цей ця ці цього цієї цих цим цьому той те ті того тому тих там тут де
  коли хто чим в у на з із зі зо до від по за про при для над під між через щодо стосовно відносно о об ж же б би бо ще вже лише тільки
  також теж який яка яке які якого якої яких якому якій яким він вона воно вони його її їх їм їй ним нею них ми ви
  я ти нас вас нам вам нами вами мене мені тебе тобі є був була було були бути буде будуть був себе свій своя своє
  свої свого своєї своїх своїм ось саме все всі весь вся всього всіх так також наш наша наше наші ваш ваша
  ваше ваші р`,
  ru: `и в во на с со к ко по за из изо от до для о об обо при над под между через относительно касательно а но или либо что чтобы как
  это этот эта эти этого этой этих этим тот та то те того той тех там тут здесь где когда кто чем же ли бы уже
  ещё еще лишь только также тоже который которая которое которые которого которой которых которым он она оно
  они его её ее их им ей ним ней них мы вы я ты нас вас нам вам нами вами меня мне тебя тебе есть был была было
  были быть будет будут себя свой своя своё свое свои своего своей своих так все всё весь вся всего всех наш
  наша наше наши ваш ваша ваше ваши у г`,
  de: `der die das den dem des ein eine einer eines einem einen und oder aber sowie als wie auch zu zum zur im in
  ins am an auf aus bei beim mit nach von vom vor für über unter um durch bis seit es er sie wir ihr ich du ihm
  ihn ihnen sein seine seiner seinen seinem seines ihre ihrer ihren ihrem ihres ist sind war waren wird werden
  wurde wurden worden hat haben hatte hatten habe sei seien dass daß dies diese dieser dieses diesem diesen sich
  so noch nur bereits schon wenn da dort hier wo was wer welche welcher welches welchen welchem man sehr soll
  sollen kann können muss müssen will wollen uns unser unsere unserer unseren unserem unseres alle allen aller`,
  fr: `le la les l un une des du de d au aux et ou mais donc car que qu qui quoi dont où à a en dans par pour sur
  avec sous entre vers chez ce cet cette ces c ça se s sa son ses leur leurs il elle ils elles on nous vous je j
  me m te t lui y est sont était étaient ont avait avaient été être avoir fait aussi très comme lors selon
  notre nos votre vos mon ma mes ton ta tes cela ceci celui celle ceux celles même lorsque puisque jusque quoique
  tout tous toute toutes`,
};

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));
const STOPWORDS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  en: words(LISTS.en),
  uk: words(LISTS.uk),
  ru: words(LISTS.ru),
  de: words(LISTS.de),
  fr: words(LISTS.fr),
};

/** True for function words of `lang` (lower-case input). */
export function isStopword(word: string, lang: Lang = 'en'): boolean {
  return STOPWORDS[lang].has(word);
}
