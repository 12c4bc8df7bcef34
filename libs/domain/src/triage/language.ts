/**
 * Language identification by stop-word profiles (en, es, fr, de, it, pt, nl), else 'und'.
 * Word lists written for Seamline from common function words (Apache-2.0); see README.md.
 */
const PROFILES: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'my', 'i', 'to', 'you', 'of', 'it', 'for', 'in', 'not', 'have', 'with', 'this', 'please', 'was', 'me', 'your', 'what', 'how', 'can', 'order', 'when', 'where', 'why', 'has', 'did', 'do', 'am', 'are', 'be', 'been', 'will', 'would', 'that', 'on', 'at', 'hi', 'hello', 'thanks', 'thank', 'want', 'need', 'get', 'yet', 'an', 'a', 'or', 'but', 'if', 'there', 'from', 'help', 'still', 'received', 'just'],
  es: ['el', 'los', 'las', 'que', 'y', 'en', 'un', 'una', 'por', 'para', 'con', 'mi', 'es', 'pedido', 'gracias', 'hola', 'está', 'pero', 'su', 'al', 'lo', 'como', 'más', 'muy', 'del', 'se', 'ya', 'todavía', 'quiero', 'tengo', 'he', 'sido', 'cuando', 'dónde', 'donde', 'recibido', 'estoy', 'esta', 'mis', 'buenos', 'días', 'favor', 'nada'],
  fr: ['le', 'les', 'des', 'du', 'et', 'une', 'est', 'je', 'mon', 'ma', 'mes', 'pas', 'pour', 'qui', 'dans', 'avec', 'vous', 'commande', 'merci', 'bonjour', 'ne', 'sur', 'au', 'ce', 'cette', 'ai', 'été', 'toujours', 'reçu', 'votre', 'vos', 'nous', 'il', 'elle', 'mais', 'où', 'quand', 'aux', 'suis', 'veux', 'colis', 'madame', 'monsieur'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'mein', 'meine', 'ein', 'eine', 'mit', 'zu', 'den', 'dem', 'sie', 'wir', 'bestellung', 'bitte', 'danke', 'hallo', 'auf', 'für', 'es', 'von', 'noch', 'habe', 'wurde', 'wo', 'wann', 'warum', 'keine', 'kein', 'aber', 'auch', 'sehr', 'geehrte', 'damen', 'herren', 'paket', 'erhalten', 'ihr', 'ihre', 'bei', 'immer'],
  it: ['il', 'lo', 'di', 'che', 'è', 'un', 'una', 'non', 'per', 'con', 'mio', 'mia', 'sono', 'ho', 'ordine', 'grazie', 'ciao', 'della', 'ma', 'come', 'nel', 'gli', 'le', 'ancora', 'ricevuto', 'pacco', 'quando', 'dove', 'perché', 'vorrei', 'buongiorno', 'salve', 'sto', 'questo', 'questa', 'mi', 'si', 'anche', 'molto'],
  pt: ['os', 'que', 'é', 'um', 'uma', 'não', 'para', 'com', 'meu', 'minha', 'pedido', 'obrigado', 'obrigada', 'olá', 'está', 'do', 'da', 'em', 'no', 'na', 'mas', 'por', 'ainda', 'recebi', 'quando', 'onde', 'porque', 'quero', 'tenho', 'foi', 'encomenda', 'você', 'vocês', 'bom', 'dia', 'muito', 'isso', 'esse', 'essa', 'ao', 'dos', 'das'],
  nl: ['het', 'een', 'en', 'ik', 'niet', 'mijn', 'van', 'dat', 'met', 'voor', 'op', 'te', 'bestelling', 'bedankt', 'hallo', 'je', 'wij', 'zijn', 'maar', 'nog', 'geen', 'heb', 'ontvangen', 'wanneer', 'waar', 'waarom', 'graag', 'pakket', 'dank', 'u', 'uw', 'is', 'de', 'al', 'wel', 'ook', 'hoe', 'goedemiddag', 'goedemorgen', 'dit', 'deze'],
};

const INDEX = new Map<string, string[]>();
for (const [lang, words] of Object.entries(PROFILES)) {
  for (const w of words) {
    const l = INDEX.get(w) ?? [];
    if (!l.includes(lang)) l.push(lang);
    INDEX.set(w, l);
  }
}

/**
 * @param normalised text from normaliseForMatching (lower case, single spaces)
 * @param englishLexiconHit whether the English lexicon matched anything (fallback for keyword-only messages)
 */
export function detectLanguage(normalised: string, englishLexiconHit: boolean): string {
  const words = normalised.trim().split(' ', 400);
  const scores: Record<string, number> = { en: 0, es: 0, fr: 0, de: 0, it: 0, pt: 0, nl: 0 };
  let letterWords = 0;
  let latin = 0;
  for (const w of words) {
    if (!w) continue;
    if (/\p{L}/u.test(w)) letterWords++;
    if (/^[a-zà-ÿ]+$/.test(w)) latin++;
    const langs = INDEX.get(w);
    if (!langs) continue;
    const share = 1 / langs.length;
    for (const l of langs) scores[l] += share;
  }
  if (letterWords === 0) return 'und';
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, bestScore] = ranked[0];
  const second = ranked[1][1];
  if (bestScore >= 1.5 && bestScore >= second * 1.5) return best;
  if (bestScore >= 1 && bestScore > second && best === 'en') return 'en';
  // keyword-only messages ("Warranty", "Track order") in Latin script that the English lexicon understood
  if (englishLexiconHit && latin >= letterWords * 0.8 && scores.en >= second) return 'en';
  if (bestScore >= 1 && bestScore > second * 1.5 && letterWords <= 4) return best;
  return 'und';
}
