/**
 * Hard rules: policy, not statistics. A message that matches one of these always escalates to people, whatever any
 * model says (routing.ts escalates on every hard-rule intent; the model may add such an intent, never remove one).
 *
 * Every rule is a short list of regular expressions over `normaliseForMatching` text: lower case, contractions
 * written out ("didn't" -> "did not"), punctuation replaced by single spaces, one-letter typos of key words repaired.
 * Each rule carries `match` and `noMatch` examples; hard-rules.spec.ts asserts all of them, so a change to a rule
 * shows its effect in the diff of the examples. Written for Seamline from general knowledge of support wording, in
 * English plus the common words of es/fr/de/it/pt/nl (licence: Apache-2.0, like the project).
 *
 * To add a rule, add its intent to INTENTS, an entry here with examples, its queue and detail in routing.ts, its
 * label in draft.ts, and nothing else: classify.ts and the router read this list.
 */
import type { Intent } from './triage.types';

export interface HardRule {
  intent: Intent;
  /** The policy in one sentence, for reviewers and the briefing. */
  policy: string;
  /** Any one pattern matching is enough. */
  patterns: readonly RegExp[];
  /** Messages the rule must catch (asserted by the spec through classifyOffline). */
  match: readonly string[];
  /** Messages the rule must leave alone. */
  noMatch: readonly string[];
}

const CHARGE =
  '(?:charge|charges|payment|payments|transaction|transactions|purchase|purchases|order|orders|withdrawal|debit|direct debit|transfer|subscription)';
const THIS = '(?:this|that|these|those|the|a|an|any|my)';

export const HARD_RULES: readonly HardRule[] = [
  {
    intent: 'fraud_claim',
    policy:
      'The customer says an order, charge or account activity was not theirs, or that a card, account or identity was stolen, lost or compromised.',
    patterns: [
      // "I did not make / authorise / place this payment"
      new RegExp(
        `\\b(?:i|we) (?:did not|never|have not|had not) (?:make|made|authori[sz]e|authori[sz]ed|approve|approved|place|placed|initiate|initiated|agree to|agreed to|sign up for|signed up for) ${THIS}? ?(?:\\w+ )?${CHARGE}\\b`,
      ),
      /\b(?:did not|never) authori[sz]e\b|\bunauthori[sz]ed\b|\bnot authori[sz]ed by me\b/,
      /\bwithout my (?:permission|consent|knowledge|authori[sz]ation|approval)\b/,
      // "I didn't approve it", "I don't remember paying for this"
      /\b(?:i|we) (?:did not|never|have not|had not) (?:authori[sz]e|authori[sz]ed|approve|approved)\b|\b(?:do not|did not|can not) (?:remember|recall) (?:making|paying|ordering|buying|authori[sz]ing|approving|placing|spending|withdrawing)\b/,
      // a charge the customer cannot place
      new RegExp(
        `\\b(?:do not|did not) know (?:what|where|who|why) (?:${THIS} )?${CHARGE}\\b|\\bwhere (?:is |did )?${THIS} ${CHARGE} (?:is )?(?:coming|come|came) from\\b|\\b(?:random|unusual|unexpected|strange|weird|odd|fishy|questionable|unknown|unfamiliar|mysterious|suspicious) (?:\\w+ )?(?:${CHARGE}|merchant|merchants|seller|company|deposit)\\b|\\bwhat (?:is|was) (?:this|that) (?:\\w+ )?${CHARGE}\\b|\\bwhat (?:this|the) (?:\\w+ )?${CHARGE} (?:is|was)\\b|\\b(?:says|said|shows|showing|claims) (?:that )?i (?:withdrew|made|spent|paid|bought|took out)\\b|\\b${CHARGE}s?\\b.{0,40}\\b(?:should not be there|listed in error)\\b`,
      ),
      /\b(?:was not|were not|is not|are not|not) (?:made |done |placed |ordered )?by me\b|\b(?:it|that|this) (?:was|is) not me\b/,
      new RegExp(
        `\\b(?:do not|did not|does not|can not) recogni[sz]e (?:\\w+ ){0,3}?(?:${CHARGE}|merchant|seller|company|amount|this|that|it|them)\\b|\\bunrecogni[sz]ed\\b|\\bnot recogni[sz]ed\\b`,
      ),
      new RegExp(`\\b${CHARGE}s? (?:is|are|was|were) not (?:mine|from me)\\b|\\bnot my ${CHARGE}\\b`),
      /\b(?:someone|somebody|a stranger|another person)(?: else)? (?:has |had |have |may have |might have |must have |is |was )?(?:been )?(?:use|used|using|access|accessed|gained access|gain access|managed to get|got hold of|hacked|got into|logged into|made|placed|charged|bought|ordered|spent|withdrew|stole|took)\b/,
      /\bwithout (?:me|my) (?:knowing|knowledge|being aware)\b|\b(?:i|we) (?:have not|had not|did not|never) used (?:my|the|our) card\b(?! (?:yet|before|since))|\bbut (?:i|we) (?:did not|never|have not)\b(?! (?:receive|received|get|got|hear|heard|see|seen|know|want|need|like))/,
      // card or account security: breach, exposed data, a card to freeze or a card that has gone missing
      /\b(?:security breach|data breach|(?:card |account )?(?:details|data|information|info) (?:has been |have been |was |were |is |are )?(?:exposed|leaked|stolen|compromised))\b|\b(?:suspicious|worried|concerned) (?:of|about) (?:the |my )?(?:\w+ ){0,2}(?:security|safety)\b|\b(?:freeze|froze|frozen|block|lock) (?:my |the |our |a )?(?:credit |debit |bank )?(?:card|cards|account)\b|\b(?:lost track of|locate|retrieve) (?:my|the|our) (?:credit |debit |bank )?card\b|\b(?:can not|could not) find (?:my|the|our) (?:credit |debit |bank )?card\b|\bmissing (?:cash|money|funds)\b|\b(?:cash|money|funds) (?:is |are |has gone |have gone )?missing from\b/,
      /\bmy (?:ex|x|ex boyfriend|ex girlfriend|ex husband|ex wife|x boyfriend|x girlfriend|roommate|flatmate) (?:\w+ )?(?:made|used|took|charged|spent|bought|ordered)\b/,
      /\b(?:stolen|stole|theft|pickpocketed|mugged|robbed)\b/,
      /\b(?:fraud|fraudulent|fraudster|scam|scammed|scammer|phishing|hacked|hacker|compromised|cloned|skimmed)\b/,
      /\b(?:lost|misplaced|can not find) (?:my |our )?(?:credit |debit |bank )?(?:card|cards|wallet)\b/,
      // es, fr, de, it, pt, nl
      /\b(?:fraude|fraudulento|fraudulenta|frauduleux|frauduleuse|betrug|betrugs|betr[uü]gerisch|frode|fraudolento|oplichting|estafa|arnaque|usurpation)\b/,
      /\bno (?:he|hice) (?:hecho|realizado) (?:este|esta|ese|esa) (?:pedido|compra|cargo|pago)\b|\bje n ai pas (?:pass[ée]|command[ée]|fait|autoris[ée])(?=\s|$)|\bnicht (?:bestellt|autorisiert|genehmigt)\b|\bnon ho (?:fatto|ordinato|autorizzato)\b|\bn[aã]o (?:fiz|autorizei) (?:este|esta|essa|esse)\b|\bniet (?:besteld|geautoriseerd)\b/,
    ],
    match: [
      "I didn't place this order and I don't know why I was charged",
      'There is an unauthorized charge on my credit card from your shop',
      'My card was stolen and someone used it on your website',
      'Someone used my account to buy three laptops',
      'I never authorised this payment of $499',
      "This transaction wasn't made by me",
      "I don't recognise this charge on my statement",
      'I think my account was hacked',
      'I lost my credit card yesterday',
      'This payment is not mine',
      "There's a charge on my card I don't remember authorizing",
      "Why was money taken from my account when I didn't approve it?",
      'I do not know what this charge is for',
      'Where is this payment coming from?',
      'There is a strange transaction on my statement',
      'I think my ex boyfriend made these charges on my card',
      'My card details have been exposed in a data breach',
      'Please freeze my card',
      'I am missing cash from my account',
      'The app says I withdrew cash but I did not',
      'Es un cargo fraudulento, no he hecho este pedido',
      "Je n'ai pas commandé ça",
      'Das ist Betrug, ich habe nichts bestellt',
    ],
    noMatch: [
      'Hi, where is my order #1001? It was supposed to arrive Monday.',
      'I have not received my order yet',
      'I did not receive the tracking number',
      'Can I pay by credit card?',
      'I would like to cancel my order please',
      'The card reader at checkout did not accept my card',
      'The bank did not approve my payment',
      'I do not remember my password',
      'Why is there an extra charge for shipping?',
      'I paid but I did not receive a confirmation e-mail',
      "I haven't used my card yet, how do I activate it?",
    ],
  },
  {
    intent: 'legal_threat',
    policy: 'The customer mentions a lawyer, a court, legal action, or a complaint to a regulator or the police.',
    patterns: [
      /\b(?:lawyer|lawyers|attorney|attorneys|solicitor|solicitors|barrister|legal action|legal proceedings|legal steps|legal advice|lawsuit|law suit|litigation|class action|cease and desist|small claims|ombudsman|trading standards|better business bureau|attorney general|consumer protection|consumer rights act|consumer court|consumer forum)\b/,
      /\b(?:sue|suing|sued)\b|\b(?:take|taking|bring|drag|see) (?:you|your company|this|them|it) (?:all the way )?to court\b|\bin court\b|\bcourt (?:case|action|claim)\b/,
      /\b(?:report|reporting|reported|complain|complaining) (?:you |this |your company |your shop |it )?(?:to|with) (?:the )?(?:police|bbb|ftc|cma|authorities|regulator|consumer (?:agency|authority|council|affairs))\b/,
      // es, fr, de, it, pt, nl
      /\b(?:abogado|abogados|demanda|demandar|denuncia|denunciar|avocat|avocats|poursuites|anwalt|rechtsanwalt|klage|verklagen|avvocato|avvocati|advogado|processar|advocaat|rechtbank|aanklacht)\b|\b(?:al|au|zum|vor) (?:tribunal|gericht)\b/,
    ],
    match: [
      'If this is not fixed I will contact my lawyer',
      'My attorney will be in touch',
      'I am going to sue you',
      "I'll take you to small claims court",
      'I have reported you to Trading Standards',
      'This breaks consumer protection law',
      'I will report this to the police',
      'Voy a llamar a mi abogado',
      'Ich werde Sie verklagen',
    ],
    noMatch: [
      'Is this product legal to use in Germany?',
      'Do you sell court shoes in size 6?',
      'My manager asked me to order this for the office',
      'I would like to file a complaint about the delivery',
    ],
  },
  {
    intent: 'chargeback_threat',
    policy:
      'The customer mentions a chargeback, disputes a charge, or wants their bank, card company or PayPal to reverse the payment.',
    patterns: [
      /\bcharge ?backs?\b|\bcharging back\b/,
      /\bdisput\w* (?:a |the |this |that |my |these |those )?(?:\w+ )?(?:charge|charges|payment|payments|transaction|transactions|debit|direct debit|withdrawal)\b|\bdisagree with (?:a |the |this |that )?(?:charge|payment|transaction)\b/,
      /\bdisput\w*\b.{0,50}\b(?:bank|card company|card issuer|card provider|credit card|paypal|visa|mastercard|amex|american express|klarna)\b|\b(?:bank|card company|card issuer|credit card company|paypal|amex|klarna)\b.{0,40}\bdisput\w*/,
      /\b(?:open|opened|opening|file|filed|filing|raise|raised|lodge|lodged|start|started) (?:a |an )?(?:dispute|paypal claim|paypal case|claim with (?:my )?(?:bank|paypal|credit card company|card company))\b|\bpaypal (?:dispute|claim|case)\b/,
      /\b(?:ask|asking|tell|telling|call|calling|contact|contacting|get|have) (?:my )?(?:bank|credit card company|card company|card issuer)\b.{0,40}\b(?:revers\w*|claw\w* back|take (?:it|the money) back|cancel the (?:charge|payment)|stop the (?:charge|payment))/,
      // de, es, fr, it, nl
      /\br[uü]ckbuchung\b|\bcontracargo\b|\br[ée]trofacturation\b|\bstorno (?:dell addebito|bancario)\b|\bterugboeking\b/,
    ],
    match: [
      'I will file a chargeback if I do not hear back today',
      "I'm going to dispute this with my bank",
      'I have opened a PayPal dispute',
      'I will call my credit card company and have them reverse the charge',
      'Refund me or I do a charge back',
      'How do I dispute a charge?',
      'I disagree with a charge on my card',
    ],
    noMatch: [
      'Can I pay by bank transfer?',
      'My bank declined the payment twice',
      'Was I charged for shipping twice?',
      'I would like a refund to my credit card',
      'There was a dispute with the courier about my parcel',
    ],
  },
  {
    intent: 'accessibility_complaint',
    policy: 'The customer reports an accessibility barrier or a disability-related need.',
    patterns: [
      /\bscreen ?readers?\b|\bscreenreaders?\b|\bjaws\b|\bnvda\b|\bvoiceover\b|\btalkback\b|\bwcag\b|\bada (?:compliant|compliance|standards?)\b|\bamericans with disabilities\b|\bbraille\b|\bwheelchairs?\b|\bvisually impaired\b|\bvision impaired\b|\bpartially sighted\b|\blow vision\b|\bhard of hearing\b|\bcolou?r ?blind\w*|\bdyslexi\w*/,
      /\b(?:i am|i m|as a|being|my \w+ is|he is|she is) (?:\w+ )?(?:blind|deaf|disabled|wheelchair user)\b|\b(?:blind|deaf|disabled) (?:user|users|customer|customers|person|people)\b|\bdisabilit(?:y|ies)\b|\bimpairment\b|\baccessibility\b|\binaccessible\b|\bnot accessible\b/,
      /\b(?:can not|unable to|hard to|difficult to|impossible to|struggle to) (?:read|see|navigate|use) (?:the |your |this )?(?:website|site|text|font|page|app|form|checkout|buttons?|captcha|labels?|emails?)\b|\b(?:font|text|print) (?:is )?(?:too|so|very) (?:small|tiny|faint)\b|\bno (?:alt text|captions|subtitles)\b|\bkeyboard (?:navigation|only)\b/,
      // es, fr, de, it, pt, nl
      /\blector de pantalla\b|\blecteur d [ée]cran\b|\bbildschirmleser\b|\bsilla de ruedas\b|\bfauteuil roulant\b|\brollstuhl\b|\bsedia a rotelle\b|\bcadeira de rodas\b|\brolstoel\b|\bbarrierefrei\w*|\baccesibilidad\b|\baccessibilit[ée]\b|\bsoy ciego\b|\bje suis aveugle\b|\bich bin blind\b/,
    ],
    match: [
      'Your checkout does not work with my screen reader',
      "I'm blind and can't read the product images",
      'The store is not ADA compliant',
      'Your site fails WCAG contrast requirements',
      'There is no wheelchair access at your pickup point',
      'The font is too small and I cannot read the website',
      'Mi lector de pantalla no funciona en su web',
    ],
    noMatch: [
      'The roller blind I ordered arrived broken',
      'The discount button is disabled at checkout',
      'Is the store accessible by car?',
      'Where is my order?',
    ],
  },
  {
    intent: 'human_request',
    policy:
      'The customer asks for a person: a human, a real agent, a manager or supervisor, or says they do not want a bot.',
    patterns: [
      /\b(?:talk|speak|speaking|talking|chat|chatting|get through|connect me|put me through|transfer me|pass me|hand me over)\w* (?:to|with) (?:a |an |some |your |the |one of your )?(?:real |actual |live |human |proper |senior )?(?:human|humans|person|people|agent|agents|representative|representatives|rep|operator|manager|supervisor|somebody|someone|staff member|employee|advisor|adviser|team member)\b/,
      /\b(?:real|actual|live) (?:person|human|agent|people|representative)\b|\bhuman (?:being|agent|support|representative|operator|please)\b|\b(?:a|an|some|any) human\b/,
      /\b(?:are you|is this|you are) (?:a |an |just a )?(?:bot|robot|machine|chatbot|automated|ai)\b|\bnot (?:a |another |talking to a )?(?:bot|robot|chatbot|machine)\b/,
      /\b(?:want|need|demand|get me|let me speak to|i would like) (?:a |an |your |the )?(?:manager|supervisor)\b|\bescalate (?:this|my|it)\b/,
      // es, fr, de, it, pt, nl
      /\b(?:hablar con|parler [àa]|parler avec|sprechen mit|mit einem|parlare con|falar com|spreken met)\b.{0,30}\b(?:persona|humano|agente|humain|personne|conseiller|mensch|menschen|mitarbeiter|operatore|atendente|pessoa|medewerker|mens|person)\b/,
    ],
    match: [
      'I want to talk to a human',
      'Can I speak to a real person please',
      'Put me through to your manager',
      'Let me speak with an agent',
      'Are you a bot? I need a real person',
      'This is unacceptable and I want a manager now!',
      'Quiero hablar con una persona',
      'Ich möchte mit einem Mitarbeiter sprechen',
    ],
    noMatch: [
      'The delivery person left the parcel at the wrong door',
      'Can a person other than me collect the order?',
      'My manager asked me to order this for the office',
      'How do I contact customer service?',
    ],
  },
  {
    intent: 'customs_issue',
    policy:
      'The customer writes about customs: a parcel held or returned by customs, import duties, taxes or fees to pay on delivery, tariffs, or customs papers.',
    patterns: [
      // customs, and what it holds, charges or asks for ("custom" alone is a custom order, "customers" are people)
      /\bcustoms\b|\bcustom (?:office|clearance|duty|duties|fee|fees|charge|charges|hold|declaration|form|forms)\b/,
      // duties, taxes and fees on import; "heavy duty" or "on duty" are not about them
      /\b(?:import|importation|customs|border) (?:duty|duties|tax|taxes|vat|gst|fee|fees|charge|charges|levy|levies)\b|\b(?:duty|duties) (?:and|&|or) (?:taxes|tax|vat|gst|fees)\b|\b(?:taxes|tax|vat) (?:and|&) duties\b|\b(?:pay|paid|paying|owe|charged|charging|billed|invoiced) (?:(?:the|any|an|for|extra|additional|import|some|all|these|those|this|that|me|us) ){0,3}(?:duty|duties)\b|\b(?:duty|duties) (?:fee|fees|charge|charges|bill|invoice|to pay|owed|due|unpaid)\b|\bdelivered duty (?:paid|unpaid)\b|\b(?:ddp|ddu)\b/,
      // a tariff is an import tax, unless it is a price list ("shipping tariff")
      /\b(?<!(?:shipping|delivery|postage|postal|courier|express|price|phone|mobile|energy) )tariffs?\b|\b(?:brokerage|clearance) (?:fee|fees|charge|charges)\b|\bheld (?:at|by|in) (?:the )?border\b/,
      // es, fr, de, it, pt, nl
      /\b(?:aduana|aduanas|aduanero|aduanera|aranceles?|derechos de importaci[oó]n|douane|douanes|douanier|douani[eè]re|d[ée]douanement|droits d importation|z[oö]lle|zollamt|zollgeb[uü]hren?|zollabfertigung|einfuhrumsatzsteuer|verzollung|verzollt|dogana|doganale|doganali|sdoganamento|dazi|dazio|alf[aâ]ndega|aduaneiros?|inklaring|invoerrechten)\b|\b(?:beim|vom|im|am|zum) zoll\b/,
    ],
    match: [
      'My parcel has been held at customs for a week, what do I do?',
      'The courier wants me to pay import duties before they deliver order 1001',
      'Why do I have to pay customs fees? Nobody told me about that',
      'Do I have to pay tariffs on an order shipped to Canada?',
      'UPS charged me a brokerage fee and duties and taxes on delivery',
      'Customs returned my package to you, can you send it again?',
      'DHL says the package is stuck in customs waiting for a declaration',
      'Mi paquete está retenido en la aduana',
      'Mon colis est bloqué à la douane',
      'Ich soll Zollgebühren für meine Bestellung bezahlen',
      'Mein Paket hängt beim Zoll fest',
    ],
    noMatch: [
      'Can I order a custom engraving on the mug?',
      'Your customer service never answers the phone',
      'I need a heavy duty bag for my laptop',
      'Do you ship to Germany, and how long does it take?',
      'Why is there an extra charge for shipping?',
      'My custom order has not arrived yet',
      'I paid for the heavy duty version but got the light one',
      'What is your shipping tariff for express delivery?',
      'Ich suche einen 27 Zoll Monitor',
    ],
  },
];

export interface HardRuleHit {
  intent: Intent;
  /** The phrases that matched (at most five). */
  evidence: string[];
}

/** The hard rules that match normalised text, in rule order. */
export function findHardRules(normalised: string): HardRuleHit[] {
  const hits: HardRuleHit[] = [];
  for (const rule of HARD_RULES) {
    const evidence: string[] = [];
    for (const re of rule.patterns) {
      const m = re.exec(normalised);
      if (!m) continue;
      const ev = m[0].trim().slice(0, 60);
      if (ev && !evidence.includes(ev)) evidence.push(ev);
      if (evidence.length >= 5) break;
    }
    if (evidence.length) hits.push({ intent: rule.intent, evidence });
  }
  return hits;
}
