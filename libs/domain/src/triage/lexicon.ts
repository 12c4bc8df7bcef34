/**
 * Weighted phrase lexicon for the offline classifier.
 *
 * Written by hand for Seamline (licence: Apache-2.0, like the project); see README.md in this folder.
 * Patterns run on text produced by `normaliseForMatching` (lower case, contractions expanded: "didn't" ->
 * "did not", punctuation replaced by single spaces). A family's score is the sum of the weights of its
 * distinct matching patterns; `neg: true` patterns are skipped when a negation ("not", "no", "never",
 * "without") stands within three words before the match.
 *
 * Weights are in "evidence units": about 2.5 means "this phrase alone names the intent", 1 means "a hint".
 */
import type { Intent } from './triage.types';

export interface LexiconEntry {
  intent: Intent;
  weight: number;
  re: RegExp;
  neg?: boolean;
  /** Extra flag raised when the pattern matches (e.g. health_safety). */
  flag?: 'health_safety';
}

const W = (
  intent: Intent,
  weight: number,
  re: RegExp,
  opts: { neg?: boolean; flag?: 'health_safety' } = {},
): LexiconEntry => ({
  intent,
  weight,
  re,
  ...opts,
});

const ITEM =
  '(?:order|orders|package|packages|parcel|parcels|delivery|shipment|item|items|purchase|stuff|card|new card|product|products|goods|things?|book|shoes|mattress|pillow|box)';
const MONEYWORD =
  '(?:charge|charges|payment|payments|transaction|transactions|withdrawal|withdrawals|debit|debits|direct debit|purchase|purchases|transfer|transfers|order|deposit|deposits|cash|activity)';

export const LEXICON: LexiconEntry[] = [
  // ───────────── hard-rule families ─────────────
  // fraud_claim
  W(
    'fraud_claim',
    3.2,
    new RegExp(
      `\\b(?:did not|never|have not|had not|not (?:been )?(?:made|placed|authori[sz]ed|approved|initiated) by me|i did not) (?:make|made|place|placed|authori[sz]e|authori[sz]ed|approve|approved|initiate|initiated|sign up for|signed up for|set up|setup|agree to|agreed to)\\b`,
    ),
  ),
  W(
    'fraud_claim',
    3.0,
    /\b(?:do not|did not|does not|can not|could not|not) recogni[sz]\w*|\bnot recogni[sz]ed\b|\bunrecogni[sz]ed\b|\b(?:do not|did not) know (?:what|where|who) (?:this|these|that|the) (?:charge|payment|transaction|withdrawal|debit|purchase)/,
  ),
  W(
    'fraud_claim',
    3.2,
    /\bunauthori[sz]ed\b|\bwithout my (?:permission|consent|knowledge|authori[sz]ation|approval|say)\b|\bnot authori[sz]ed by me\b|\bwithout (?:me )?(?:knowing|being aware)\b|\bwithout me (?:aware|knowing)\b/,
  ),
  W(
    'fraud_claim',
    3.0,
    /\b(?:stole|stolen|steal|stealing|theft|thief|thieves|mugged|pickpocket\w*|robbed)\b.{0,40}\b(?:card|cards|wallet|purse|identity|details|information|info|account|phone|bag)\b|\b(?:card|cards|wallet|purse|identity|details|account|bag)\b.{0,25}\b(?:stole|stolen|taken|nicked|robbed)\b/,
  ),
  W(
    'fraud_claim',
    1.7,
    new RegExp(
      `\\b(?:did not|never|have not|had not|not) (?:order|ordered|buy|bought|purchase|purchased|request|requested|withdraw|withdrew|take out|took out|spend|spent|pay for|paid for|do|did|done|create|created|submit|submitted|complete|completed|initiate|use|used|carry out|carried out|perform|performed)\\b(?! (?:receive|get|yet))`,
    ),
  ),
  W(
    'fraud_claim',
    1.8,
    new RegExp(
      `\\b${MONEYWORD}s?\\b.{0,40}\\b(?:i|we|me) (?:definitely |certainly |really |actually )?(?:did not|never|have not|had not|do not)\\b`,
    ),
  ),
  W(
    'fraud_claim',
    1.8,
    new RegExp(
      `\\b(?:did not|never|have not|had not) (?:order|buy|purchase|request|do|make|create|submit|complete|initiate|authori[sz]e|approve) (?:this|that|these|those|the|any|a|an)? ?(?:\\w+ )?${MONEYWORD}`,
    ),
  ),
  W(
    'fraud_claim',
    2.8,
    new RegExp(
      `\\b${MONEYWORD}s?\\b.{0,30}\\b(?:is not|are not|was not|were not|not) (?:mine|from me|my doing|my own)\\b`,
    ),
  ),
  W('fraud_claim', 2.4, /\b(?:have not|did not|never|not) (?:used|touched|been using|use|touch) (?:my |the )?card\b/),
  W('fraud_claim', 1.3, /\bbut (?:i|we) (?:did not|never|have not)\b(?! (?:receive|get|got))/),
  W(
    'fraud_claim',
    3.0,
    /\b(?:someone|somebody|some one|some body|a stranger|strangers|another person)(?: else| besides me| other than me)?\b.{0,30}\b(?:us(?:e|ed|ing)|access\w*|got into|gotten into|logged in\w*|hack\w*|took|taken|made|making|charg\w*|stole|stolen|bought|order\w*|spent|spending|withdr\w*|copied|cloned|has my|got my|gained)\b/,
  ),
  W(
    'fraud_claim',
    2.6,
    /\bcards?\b.{0,20}\b(?:lost|missing|gone missing|misplaced|disappeared)\b|\b(?:security breach|data (?:leak|breach)|exposed|leaked)\b/,
  ),
  W(
    'fraud_claim',
    1.6,
    /\bdisput\w* (?:a |the |this |that |my |these )?(?:\w+ )?(?:charge|payment|transaction|debit|direct debit|withdrawal)s?\b/,
  ),
  W('fraud_claim', 1.6, /\b(?:stolen|stole|theft|thief|mugged|robbed)\b/),
  W(
    'fraud_claim',
    2.8,
    /\b(?:is|are|was|were|been|being) (?:\w+ )?used by (?:someone|somebody|some one|another|a stranger|strangers|other people)|\bimproperly used|\bmisus\w*|\bused (?:it |my card |my account )?without (?:me|my)\b/,
  ),
  W('fraud_claim', 2.4, /\b(?:but|and) i (?:did not|have not|never)(?: (?:what|how|can|please|help|why|so)\b|\s*$)/),
  W('fraud_claim', 2.6, /\bnot belong (?:to )?me\b|\bnot mine\b|\bbelongs? to someone else\b/),
  W(
    'fraud_claim',
    2.6,
    /\b(?:do not think|not sure|unsure if|unsure whether|do not know if|do not believe|not sure if) (?:i|we) (?:made|did|authori\w*|ordered|bought|paid|spent|withdr\w*|charged)\b|\b(?:i|we) did not charge\b/,
  ),
  W(
    'fraud_claim',
    2.0,
    new RegExp(
      `\\b${MONEYWORD}s?\\b.{0,30}\\b(?:should not be there|in error|not correct|unsure of|not sure about|not right|incorrect)\\b|\\bincorrect ${MONEYWORD}s?\\b`,
    ),
  ),
  W(
    'fraud_claim',
    2.2,
    /\b(?:missing|taken|disappeared) (?:cash|money|funds)\b|\b(?:cash|money|funds) (?:is |are |has |have )?(?:missing|gone|disappeared) from\b|\bmissing (?:cash|money|funds) from\b/,
  ),
  W(
    'fraud_claim',
    2.8,
    /\bmy (?:ex|x|child|children|kid|kids|son|daughter|husband|wife|partner|boyfriend|girlfriend|roommate|flatmate|friend|brother|sister|x boyfriend|ex boyfriend|ex girlfriend|ex husband|ex wife)\b.{0,25}\b(?:used|using|made|charged|took|spent|bought|ordered)\b/,
  ),
  W(
    'fraud_claim',
    2.2,
    /\b(?:says|shows|showing|said|claims|states) (?:that )?i (?:withdr\w*|took out|received|made|spent|bought|paid|took|got)\b/,
  ),
  W(
    'fraud_claim',
    1.8,
    new RegExp(
      `\\b(?:what|why|where)\\b.{0,25}\\b(?:this|that|these|the) (?:\\w+ ){0,2}${MONEYWORD}s?\\b.{0,30}\\b(?:is|are|coming from|come from|on my|in my)\\b`,
    ),
  ),
  W(
    'fraud_claim',
    2.4,
    /\b(?:concerned|worried|suspicious|unsure) (?:about|of) (?:the )?(?:security|safety)|\bsecurity (?:of|in) my (?:card|account)|\bcard s security\b|\bsuspicious\w*/,
  ),
  W(
    'fraud_claim',
    2.4,
    /\b(?:lost|lose) track of my card|\b(?:locate|retrieve) my card\b|\bactivity on my (?:card|account)\b/,
  ),
  W('fraud_claim', 1.2, /\bdisput\w*\b/),
  W(
    'fraud_claim',
    2.6,
    /\b(?:lost|lose|losing|misplaced|can not find|cannot find|missing) (?:my |the )?(?:credit |debit |bank |new )?(?:card|cards|wallet|purse)\b/,
  ),
  W(
    'fraud_claim',
    3.2,
    /\bsomeone (?:else )?(?:has |had |have |may have |might have |must have |is |was )?(?:been )?(?:used|using|access\w*|got into|gotten into|logged into|logged in|hacked|took|taken|made|making|charged|stole|stolen|bought|ordered|placed|spent|withdrew|withdrawn|has my|got my|copied|cloned|managed|get|obtain\w*)\b|\b(?:other|another) (?:person|people|someone) (?:used|using|made|has)\b/,
  ),
  W(
    'fraud_claim',
    3.0,
    /\b(?:hacked|hacker|hackers|compromised|cloned|skimmed|phishing|phished|identity theft|data breach|breached)\b/,
  ),
  W(
    'fraud_claim',
    3.0,
    /\bfraud\w*|\bscam\w*\b|\bsuspicious (?:charge|payment|transaction|activity|withdrawal|debit|purchase|login|order)s?/,
  ),
  W(
    'fraud_claim',
    2.6,
    new RegExp(
      `\\b(?:strange|weird|odd|fishy|unknown|unfamiliar|mysterious|random|unexpected|unusual|dodgy|bogus|questionable) (?:\\w+ )?(?:${MONEYWORD}|merchant|merchants|company|vendor|seller)s?\\b`,
    ),
  ),
  W(
    'fraud_claim',
    3.0,
    /\b(?:was not|were not|is not|are not|not) (?:made |done |completed |authori[sz]ed |ordered |placed |initiated |carried out )?by me\b|\b(?:it|that|this) (?:was|is) not me\b|\bnot been me\b/,
  ),
  W(
    'fraud_claim',
    2.8,
    /\b(?:do not|did not|can not) (?:remember|recall) (?:making|doing|buying|ordering|authori\w*|withdraw\w*|spending|paying|placing|getting|taking|this|that|any)\b/,
  ),
  W(
    'fraud_claim',
    1.8,
    new RegExp(
      `\\bwhat (?:is|are) (?:this|that|these|those) (?:\\w+ )?${MONEYWORD}s?\\b|\\bwhere (?:did|does|is) (?:this|that) (?:\\w+ )?${MONEYWORD} (?:come|coming) from`,
    ),
  ),
  W(
    'fraud_claim',
    2.0,
    /\b(?:freeze|froze|frozen|freezing|block|suspend|lock|deactivate)\w* (?:my |the |our |a )?(?:credit |debit |bank )?(?:card|cards|account)\b/,
  ),
  W(
    'fraud_claim',
    2.4,
    /\b(?:cash|money|withdrawal) (?:that |which )?i (?:did not|never) (?:get|receive|take|withdraw|make|request)/,
  ),
  W(
    'fraud_claim',
    1.4,
    /\bdirect debit\b.{0,60}\b(?:not|never|strange|unknown|did not|who|what|wrong)\b|\b(?:not|never|strange|unknown|did not)\b.{0,40}\bdirect debit\b/,
  ),
  W(
    'fraud_claim',
    3.2,
    /\b(?:fraude|fraudulento|frauduleuse|frauduleux|betrug|betr[uü]gerisch|frode|fraudolent\w*|fraudulent\w*|estafa|arnaque|oplichting)\b|\bno (?:he|hice) (?:hecho|realizado) (?:este|esta|ese) (?:pedido|compra|cargo)|\bje n ai pas (?:pass[ée]|command[ée]|fait)|\bnicht (?:bestellt|autorisiert)/,
  ),

  // legal_threat
  W(
    'legal_threat',
    3.6,
    /\b(?:lawyer|lawyers|attorney|attorneys|solicitor|solicitors|barrister|legal action|legal proceedings|legal steps|lawsuit|law suit|litigation|class action|cease and desist|small claims|consumer protection|trading standards|ombudsman|better business bureau|attorney general|consumer rights act|legal team|legal department|my rights as a consumer|consumer court|consumer forum)\b/,
  ),
  W(
    'legal_threat',
    3.4,
    /\b(?:sue|suing|sued)\b|\b(?:take|taking|bring|see|drag) (?:you|this|your company|them|it|the matter) (?:all the way )?to court\b|\bin court\b|\bcourt (?:case|action|claim|order)\b/,
  ),
  W(
    'legal_threat',
    2.6,
    /\b(?:report|reporting|complain|complaint) (?:you |this |your company )?(?:to|with) (?:the )?(?:bbb|ftc|cma|authorities|regulator|police|consumer (?:agency|authority|council|affairs)|attorney general)\b|\blegal(?:ly)?\b/,
  ),
  W(
    'legal_threat',
    3.4,
    /\b(?:abogado|abogados|demanda|demandar|denuncia|avocat|avocats|tribunal|poursuites|anwalt|rechtsanwalt|klage|verklagen|gericht|avvocato|tribunale|denuncia|advogado|processar|advocaat|rechtbank|aanklacht)\b/,
  ),

  // chargeback_threat
  W(
    'chargeback_threat',
    3.8,
    /\bcharge ?backs?\b|\bcharge back\b|\bcharging back\b|\brückbuchung|\bcontracargo|\br[ée]trofacturation/,
  ),
  W(
    'chargeback_threat',
    3.4,
    /\bdisput\w*\b.{0,50}\b(?:bank|card company|card issuer|card provider|credit card|paypal|visa|mastercard|amex|american express|issuer|klarna)\b|\b(?:bank|card company|credit card company|card issuer|paypal|amex|klarna)\b.{0,40}\bdisput\w*/,
  ),
  W(
    'chargeback_threat',
    3.2,
    /\b(?:open|opening|opened|file|filing|filed|raise|raising|raised|start|starting|lodge|lodging)\w* (?:a |an )?(?:dispute|paypal claim|claim with (?:my )?(?:bank|paypal|credit card|card))\b|\bpaypal (?:dispute|claim|case)\b/,
  ),
  W(
    'chargeback_threat',
    2.6,
    /\b(?:contact|call|calling|ring|tell|ask|asking|go to|going to|get|have) (?:my )?(?:bank|credit card company|card company|card issuer)\b.{0,50}\b(?:revers\w*|refund|back|dispute|cancel|stop|block|recall|return)/,
  ),
  W(
    'chargeback_threat',
    1.4,
    new RegExp(`\\bdisput\\w* (?:a |the |this |that |my |these )?(?:\\w+ )?${MONEYWORD}s?\\b`),
  ),

  // accessibility_complaint
  W(
    'accessibility_complaint',
    3.6,
    /\bscreen ?readers?\b|\bscreenreader\w*|\bjaws\b|\bnvda\b|\bvoiceover\b|\btalkback\b|\bwcag\b|\bada\b|\bamericans with disabilities|\bbraille\b|\bwheelchairs?\b|\bvisually impaired\b|\bpartially sighted\b|\blow vision\b|\bhard of hearing\b|\bcolou?r ?blind\w*|\bdyslexi\w*/,
  ),
  W(
    'accessibility_complaint',
    3.2,
    /\b(?:blind|deaf|disabled|disability|disabilities|impairment|handicapped)\b(?!.{0,20}\b(?:card|account)\b)|\baccessib\w*\b(?!.{0,10}\b(?:account|card)\b)|\binaccessible\b/,
  ),
  W(
    'accessibility_complaint',
    2.8,
    /\b(?:can not|unable to|hard to|difficult to|impossible to|struggle to|struggling to) (?:read|see|navigate|use|click) (?:the |your |this |any )?(?:website|site|text|font|page|pages|email|emails|label|labels|instructions|print|screen|app|form|checkout|buttons?|captcha)\b|\b(?:font|text|print|writing) (?:is )?(?:too|so|very) (?:small|tiny|faint)|\bno (?:alt text|captions|subtitles)\b|\bkeyboard (?:navigation|only|users?)\b|\bcaptions?\b|\bsubtitles?\b/,
  ),

  // human_request
  W(
    'human_request',
    3.6,
    /\b(?:talk|speak|speaking|talking|chat|chatting|communicate|get through|connect me|connected|put me through|transfer me|transferred|pass me|hand me over|escalate me)\w* (?:to|with) (?:a |an |some |your |the |one of your )?(?:real |actual |live |human |other |proper |senior )?(?:human|humans|person|people|agent|agents|representative|representatives|rep|operator|manager|supervisor|somebody|someone|staff|employee|advisor|adviser|assistant|being|team member|customer (?:service|support|care) (?:agent|representative|rep|person|advisor))\b/,
  ),
  W(
    'human_request',
    3.4,
    /\b(?:real|actual|live|proper) (?:person|human|agent|people|being|support agent|representative)\b|\bhuman (?:being|agent|support|representative|operator|please)\b|\b(?:a|an|some|any) human\b|\bnot (?:a |an |talking to a |another )?(?:bot|robot|machine|chatbot|automated|ai)\b|\b(?:are you|is this|you are) (?:a |an |just a )?(?:bot|robot|machine|chatbot|automated|ai)\b|\bstop (?:the |this |sending )?(?:bot|automated|auto)\w*|\b(?:your|a|the|to) (?:manager|supervisor)\b|\bescalate (?:this|my|the|it)\b|\b(?:want|need|demand) (?:an? )?(?:agent|operator|representative)\b/,
  ),
  W(
    'human_request',
    3.2,
    /\b(?:hablar con|quiero hablar|parler [àa]|parler avec|un humain|une personne r[ée]elle|mit einem menschen|mit einem mitarbeiter|parlare con|falar com|spreken met)\b.{0,30}\b(?:persona|humano|agente|humain|personne|conseiller|mensch|menschen|mitarbeiter|operatore|persona|atendente|pessoa|medewerker|mens)\b/,
  ),

  // ───────────── statistical-ish lexicon for the other families ─────────────
  // order_status
  W('order_status', 2.6, new RegExp(`\\bwhere (?:is |are )?(?:my|the|our) (?:\\w+ )?${ITEM}\\b`)),
  W('order_status', 1.7, /\b(?:track|tracking|trace|tracing|tracked)\b/),
  W(
    'order_status',
    2.6,
    /\border status\b|\bstatus (?:of|for|on) (?:my |the |an |our )?(?:\w+ )?(?:order|purchase|package|parcel|delivery|shipment|card)|\b(?:order|purchase|package|shipment|delivery)s? (?:\w+ ){0,2}status\b|\bstate of (?:this|my|the) order/,
  ),
  W(
    'order_status',
    2.1,
    /\b(?:when|how soon|how long|what day|what date|which day)\b.{0,50}\b(?:arrive|arrives|arriving|arrival|get here|be here|be delivered|deliver|delivered|delivery|ship|shipped|shipping|dispatch\w*|receive|get it|get my|get the|get them|get delivered|come|coming|reach|expect)\b/,
  ),
  W(
    'order_status',
    2.2,
    /\beta\b|\bestimated (?:delivery|arrival|date|time)\b|\bdelivery (?:date|time|estimate|period|day|window)\b|\bexpected (?:delivery|arrival)\b|\barrival (?:date|time)\b/,
  ),
  W('order_status', 1.9, new RegExp(`\\b(?:still )?waiting (?:on|for) (?:my |the |a |our )?(?:\\w+ )?${ITEM}\\b`)),
  W(
    'order_status',
    2.1,
    new RegExp(
      `\\b(?:has|have|is|was) (?:my|the|our|it|this) (?:\\w+ )?(?:${ITEM} )?(?:been )?(?:shipped|dispatched|sent|posted|mailed|out for delivery)\\b`,
    ),
  ),
  W(
    'order_status',
    1.5,
    /\b(?:update|updates|news|progress)s? (?:on|about|of|regarding|related to|for) (?:my |the |an |this )?(?:\w+ )?(?:order|orders|purchase|package|parcel|delivery|shipment)\b/,
  ),
  W(
    'order_status',
    0.5,
    /\b(?:information|info|details|query|question)s? (?:on|about|of|regarding|related to|for) (?:my |the |an |this )?(?:\w+ )?(?:order|orders|purchase|package|parcel|delivery|shipment)\b/,
  ),
  W(
    'order_status',
    -1.6,
    /\b(?:transfer\w*|transaction\w*|money|funds|top ?up|deposit\w*|payment\w*|cash|withdraw\w*|refund\w*|exchange\w*|currenc\w*)\b/,
  ),
  W(
    'order_status',
    1.6,
    /\b(?:card|order|package|parcel|item|purchase|delivery|shipment) (?:to )?(?:arrive|arrival|arriving|come|coming|be delivered|get here|show up)\b|\bstill coming\b|\bon (?:its|the) way\b|\bin transit\b|\bout for delivery\b/,
  ),
  W('order_status', 1.2, /\b(?:know|tell me|check|see|find out) when (?:my|it|the|they|i)\b/),
  W('order_status', 0.6, /\bmy orders?\b/),
  W(
    'order_status',
    1.3,
    /\b(?:choose|pick|select|set) (?:a |the )?(?:delivery )?(?:date|day|time) (?:for|of) (?:delivery|my delivery)|\b(?:send|ship|deliver) (?:it|my card|my order|them)? ?(?:as soon as|asap|quickly|faster|express)\b/,
  ),
  W(
    'order_status',
    1.2,
    /\b(?:dónde|donde) est[áa] mi (?:pedido|paquete)|\bo[uù] en est ma commande|\bwo ist meine (?:bestellung|lieferung)|\bdov[eè] il mio ordine|\bonde est[áa] (?:o )?meu pedido|\bwaar is mijn (?:bestelling|pakket)/,
  ),

  // shipping_delay
  W(
    'shipping_delay',
    2.2,
    /\b(?:delay|delayed|delays|delaying|late|later than|overdue|behind schedule|slow delivery|too long|so long|long ago|in time|on time)\b/,
    { neg: true },
  ),
  W(
    'shipping_delay',
    1.9,
    new RegExp(
      `\\b(?:not|never|yet to be|yet to|still not|still have not|still has not) (?:yet )?(?:been )?(?:received|receive|recieved|arrived|arrive|delivered|deliver|delivery|got|get|gotten|come|shown up|turned up|reached|reach|dispatched|shipped)\\b|\\b(?:no sign|no news) of (?:my |the )?(?:\\w+ )?${ITEM}`,
    ),
  ),
  W(
    'shipping_delay',
    2.0,
    /\btaking (?:so|too|very|forever|ages|a long|way too)\b|\bstill (?:have not|has not|not|nothing|no sign)\b/,
  ),
  W(
    'shipping_delay',
    1.8,
    /\b\d+ (?:days|weeks|business days|working days) (?:ago|already|late|and still|and nothing|have passed|has passed|are completed|completed|passed|over|since)\b|\b(?:over|more than|almost|nearly) (?:a|one|two|three|\d+) (?:weeks?|months?)\b/,
  ),
  W(
    'shipping_delay',
    2.2,
    /\bshould have (?:arrived|been delivered|received|come|got)\b|\b(?:was|were) (?:supposed|due|expected|meant|promised) to (?:arrive|be delivered|come|be here|ship)\b|\bmissed (?:the )?(?:delivery|estimated)\b/,
  ),
  W(
    'shipping_delay',
    2.0,
    /\b(?:lost|missing|stuck) (?:in (?:the )?(?:post|mail|transit)|package|parcel|delivery|shipment)\b|\b(?:package|parcel|shipment|delivery) (?:is |was |has been |got )?(?:lost|missing|stuck)\b/,
  ),

  // refund_request
  W('refund_request', 2.7, /\brefund\w*|\breembolso|\bremboursement|\br[üu]ckerstattung|\brimborso|\bterugbetaling/, {
    neg: true,
  }),
  W(
    'refund_request',
    2.4,
    /\bmoney back\b|\breimburs\w*|\brestitution\w*|\brebates?\b|\b(?:return|refund|give|send|credit) (?:me )?(?:back )?my money\b|\bmy money (?:back|returned)\b|\bcredit (?:back|my account)\b/,
    { neg: true },
  ),
  W('refund_request', 1.0, /\bwant my money\b|\bwhere is my money\b/),

  // return_request
  W('return_request', 1.7, /\breturn(?:ing|s|ed)?\b(?! (?:of )?(?:my |the )?money)(?! to sender)(?! policy)/, {
    neg: true,
  }),
  W(
    'return_request',
    2.3,
    /\breturn (?:label|window|process|request|form|authori[sz]ation|address|shipping|instructions)\b|\breturns? polic\w*|\bexchange polic\w*|\bpolicy (?:on|for) returns?/,
  ),
  W(
    'return_request',
    2.1,
    /\b(?:send|ship|post|mail|bring|take) (?:it|this|them|these|those|the \w+|my \w+|the item|the product|back the \w+) back\b|\bsend back\b/,
    { neg: true },
  ),
  W(
    'return_request',
    1.9,
    /\b(?:exchange|swap) (?:it|this|them|for|the (?:item|product|size|colou?r)|my (?:item|product|order)|process|an? )\b|\b(?:exchange|replace|replacement) (?:it|this|the item|the product)\b|\bcan (?:we|i|you) (?:exchange|return)\b/,
  ),
  W('return_request', 1.0, /\breplac\w*\b(?! card)(?! (?:my |a |the )?(?:lost|stolen|new|bank|debit|credit)? ?card)/),
  W(
    'return_request',
    1.3,
    /\b(?:does not|do not|did not) (?:fit|suit|like it|like them)\b|\btoo (?:small|big|large|tight|loose)\b/,
  ),

  // cancel_order
  W(
    'cancel_order',
    2.3,
    /\bcanc[ae]?l+\w*\b(?!(?: \w+){0,3} (?:account|subscription|membership|newsletter|profile|card|plan|direct debit))/,
    { neg: true },
  ),
  W(
    'cancel_order',
    2.0,
    /\b(?:stop|revert|reverse|undo|call off|halt|withdraw)\w* (?:the |my |a |an |this |that |it )?(?:\w+ )?(?:order|purchase|transaction|transfer|payment|shipment|delivery)\b/,
  ),
  W(
    'cancel_order',
    2.5,
    /\b(?:cancell?ation|termination|exit) (?:fee|fees|charge|charges|penalt\w*|cost|costs)\b|\bearly (?:termination|exit|cancellation)\b/,
  ),
  W(
    'cancel_order',
    1.5,
    /\bno longer (?:want|need|require)\b|\bdo not (?:want|need) (?:it|this|the order|them|my order) (?:anymore|any more)\b|\bchanged my mind\b/,
  ),
  W(
    'cancel_order',
    3.0,
    /\bcancelar (?:mi |el )?pedido|\bannuler (?:ma |la )?commande|\b(?:bestellung )?stornieren|\bannullare (?:il |l )?ordine|\bcancelar (?:o |meu )?pedido|\bannuleren/,
  ),

  // change_order
  W(
    'change_order',
    2.5,
    /\b(?:change|chang|modify|modif|edit|update|amend|alter|correct|adjust)\w* (?:to )?(?:my |the |an |this |a |that |our )?(?:existing |recent |current )?(?:order|orders|purchase|purchases)\b/,
  ),
  W(
    'change_order',
    2.3,
    /\b(?:add|remove|removing|adding|delete|deleting|take off|put)\w* (?:an? |one |the |some |something|another |more |an extra )?(?:\w+ ){0,2}(?:to|from|in|on) (?:my |the |this |that )?(?:order|purchase)\b/,
  ),
  W(
    'change_order',
    2.5,
    /\b(?:change|modify|edit|update|correct|fix|amend|alter)\w* (?:the |my |a |an |this )?(?:shipping|delivery|postal|mailing|destination) address\b|\b(?:shipping|delivery) address (?:change|modification|update|correction|edit)\w*|\baddress (?:change|modification) (?:for|on) (?:my )?order/,
  ),
  W(
    'change_order',
    2.3,
    /\b(?:address|postcode|zip code|pincode|pin code|house number|street name) (?:is |was |on the order is )?(?:wrong|incorrect|outdated|old|mistyped)\b|\bwrong (?:shipping |delivery )?address\b|\bmodify address\b|\bchange (?:of )?address\b/,
  ),
  W('change_order', 1.4, /\b(?:chang|modif|edit|updat|correct|fix)\w* (?:the |my )?address\b/),
  W('change_order', 1.8, /\b(?:change|swap|switch)\w* (?:the )?(?:size|colou?r|quantity|variant|model|flavou?r)\b/),

  // damaged_item
  W(
    'damaged_item',
    2.4,
    /\b(?:damaged|damage|broken|broke|cracked|shattered|smashed|dented|defective|faulty|torn|ripped|leaking|leaked|leaks|scratched|crushed|bent|stained|spoiled|rotten|moldy|mouldy|expired product|spilled|spilt|squashed|dead on arrival|doa)\b/,
    { neg: true },
  ),
  W(
    'damaged_item',
    1.2,
    /\b(?:stopped|stops) working\b|\bdoes not (?:work|turn on|switch on|charge|power on)\b|\bwill not (?:turn on|work|switch on|charge)\b|\barrived (?:broken|damaged|in pieces|open)\b|\bin pieces\b/,
  ),

  // wrong_item
  W(
    'wrong_item',
    2.6,
    /\bwrong (?:item|items|product|products|size|colou?r|order|thing|model|one|book|shoes?|version|flavou?r|variant|article|parcel|package|delivery)\b|\bnot what i (?:ordered|bought|paid for|asked for|purchased)\b|\b(?:received|got|sent|sent me|delivered|shipped) (?:me )?(?:the |a |an )?(?:wrong|different|incorrect)\b|\bincorrect (?:item|product|size|order|colou?r)\b|\bsomeone else(?:s)? (?:order|package|parcel)\b/,
  ),
  W(
    'wrong_item',
    2.0,
    /\b(?:item|items|product|products|something|part|parts|piece|pieces|one)s? (?:is |are |was |were )?missing\b|\bmissing (?:item|items|product|part|parts|pieces?|from (?:my|the) (?:order|package|box))\b|\bincomplete (?:order|package|delivery)\b|\bordered .{1,40} but (?:received|got|they sent|you sent|i got|i received)\b/,
  ),

  // payment_issue
  W(
    'payment_issue',
    2.7,
    /\b(?:charged|billed|debited|deducted|taken) (?:me )?(?:twice|double|two times|2 times|three times|again|extra|more|too much|wrong|incorrect\w*)\b|\bdouble (?:charged|charge|billed|payment|debit)\b|\bduplicate (?:charge|payment|transaction|debit)s?\b|\bcharged .{0,25}\b(?:twice|two times)\b/,
  ),
  W(
    'payment_issue',
    2.5,
    /\b(?:payment|transaction|transfer|top ?up|topup|card|purchase|withdrawal|deposit)s? (?:was |is |got |has been |have been |keeps? (?:getting |being )?|keep|are |were )?(?:declined|rejected|failed|refused|denied|not (?:going|gone|go) through|did not go through|pending|stuck|reverted|blocked|on hold|not accepted|not working|does not work|will not work|stopped working|bounced)\b/,
  ),
  W('payment_issue', 1.9, /\b(?:declined|rejected|decline|refused|denied)\b/),
  W('payment_issue', 1.6, /\bpending\b/),
  W('payment_issue', 1.6, /\b(?:fee|fees|surcharge|surcharges|commission|commissions)\b/),
  W('payment_issue', 1.0, /\b(?:charged|charge|charges|charging)\b/),
  W(
    'payment_issue',
    2.0,
    /\b(?:exchange|conversion) rates?\b|\bwrong (?:rate|amount|exchange)\b|\bincorrect (?:amount|rate)\b|\b(?:amount|rate) (?:is |was )?(?:wrong|incorrect)\b/,
  ),
  W('payment_issue', 1.4, /\b(?:top ?up|topup|topping up|topped up|top ups)\b/),
  W(
    'payment_issue',
    1.5,
    /\b(?:atm|atms|cash machine|cash withdrawal|cash point|cashpoint|withdraw|withdrawal|withdrawals|withdrawing|withdrew)\b/,
  ),
  W('payment_issue', 1.3, /\bbalance\b|\bdeposit\w*|\bcheque\w*|\bcheck deposit/),
  W('payment_issue', 1.1, /\btransfer\w*\b/),
  W(
    'payment_issue',
    2.5,
    /\bpayment\w* (?:issue|issues|problem|problems|error|errors|trouble|fail\w*|not (?:working|going through|processed))\b|\b(?:problem|problems|issue|issues|trouble|error|errors|difficult\w*) (?:with |making |completing |processing |when making |while making )?(?:my |the |an? )?(?:online )?payments?\b|\bunable to (?:pay|make (?:a |the )?payment)\b|\bcan not (?:pay|make (?:a |the )?payment)\b/,
  ),
  W('payment_issue', 0.7, /\b(?:pay|paid|paying|payment|payments)\b/),
  W(
    'payment_issue',
    2.2,
    /\b(?:money|amount|funds|cash|payment) (?:was |has been |got |is |were )?(?:deducted|debited|taken|withdrawn|gone|cut)\b|\b(?:deducted|debited) (?:from|but)\b/,
  ),
  W(
    'payment_issue',
    2.2,
    /\bcard (?:was |got |has been |is )?(?:swallowed|stuck|eaten|retained|kept|trapped)\b|\b(?:ate|swallowed|kept|took|retained|eaten) my card\b/,
  ),
  W(
    'payment_issue',
    2.3,
    /\bcontactless\b|\bcard\b.{0,30}\b(?:not working|does not work|will not work|not accepted|is declined|stopped working|will not go through|not go through|keeps? failing)\b/,
  ),
  W(
    'payment_issue',
    1.8,
    /\b(?:money|funds|transfer|deposit|cheque|cash|balance|payment|salary)\b.{0,40}\b(?:not|never|yet to) (?:show\w*|appear\w*|reflect\w*|updat\w*|arriv\w*|credit\w*|clear\w*|received|been received|gone through|come through|go through)\b/,
  ),
  W('payment_issue', 0.7, /\b(?:bill|billing|invoice)\b/),

  // account
  W(
    'account',
    2.3,
    /\b(?:password|passcode|passwords|passphrase|login|log in|log on|logon|log into|sign in|signin|username|user name|2fa|two factor|verification code|access code|access key|security code|one time code|otp)\b|\bpin\b(?! ?cod)(?! ?\d)(?! no\b)(?! number \d)/,
  ),
  W('account', 1.3, /\baccounts?\b/),
  W(
    'account',
    2.7,
    /\b(?:create|creating|open|opening|delete|deleting|close|closing|remove|removing|removal|deactivate|terminate|terminating|termination|cancel\w*|edit|editing|update|updating|modify|modifying|switch|switching|upgrade|upgrading|downgrade|register|registering|reactivate|recover|recovering|unlock|restore|merge|set ?up|setting up|make|change|changing|new)\w* (?:of |to |a |an |my |the |new |this |your |our |another |second |free |pro |gold |platinum |premium |standard |business |user |customer |freemium |secondary )*(?:\w+ )?(?:account|accounts|profile|membership|user)\b/,
  ),
  W(
    'account',
    2.2,
    /\b(?:sign ?up|signup|register|registration|registered|new (?:user|customer|member)|not a (?:registered )?(?:user|member)|create (?:an |a )?(?:account|user|profile))\b/,
  ),
  W(
    'account',
    2.5,
    /\bnewsletters?\b|\b(?:un)?subscrib\w*|\bmailing list\b|\bemail (?:list|subscription|preferences)\b|\bmarketing emails\b/,
  ),
  W('account', 2.2, /\b(?:refer|referral|referal|referrals|refer and earn|invite code|referral code)\b/),
  W(
    'account',
    1.9,
    /\b(?:verify|verif\w*|identity|identification|id check|proof of (?:id|identity|address)|kyc|source of (?:my )?funds|where my money comes from|prove (?:my|who))\b/,
  ),
  W(
    'account',
    1.7,
    /\bpersonal (?:details|information|info|data)\b|\bmy details\b|\bmy (?:name|surname|last name|phone number|email address|date of birth|marital status)\b|\bprofile\b/,
  ),
  W('account', 1.0, /\b(?:chang|modif|edit|updat|correct)\w* (?:the |my )?address\b/),
  W(
    'account',
    2.2,
    /\b(?:set ?up|setting up|add|adding|enter|entering|save|create|put in|register|another|second|secondary|valid|default)\w* (?:a |my |the |new |another |second |secondary |other )*(?:shipping|delivery|billing) address(?:es)?\b/,
  ),
  W(
    'account',
    2.1,
    /\b(?:activate|activating|activation|link|linking|linked|unblock|unlock|reactivate|add|connect)\w* (?:my |the |a |new |an |existing |another )*(?:\w+ )?cards?\b|\bcards? (?:to|on|in) (?:the|my) app\b/,
  ),
  W(
    'account',
    2.0,
    /\b(?:virtual|disposable|physical|spare|extra|additional|plastic|actual) (?:bank |debit |credit )?cards?\b|\b(?:new|another|second|replacement) (?:bank |debit )?card\b/,
  ),
  W('account', 2.0, /\bcards?\b.{0,25}\b(?:expir\w*|renew\w*)\b|\bexpir\w* cards?\b/),
  W('account', 2.1, /\binvoices?\b|\bbills?\b|\breceipts?\b/),

  // product_question
  W(
    'product_question',
    1.7,
    /\b(?:price|prices|pricing|priced|cost of|costs?|how much (?:is|does|for|are|will)|rate of|mrp|rs|rupees)\b/,
  ),
  W(
    'product_question',
    1.1,
    /\b(?:size|sizes|sizing|size chart|dimension\w*|measure\w*|length|width|height|thickness|inch|inches|cm|feet|ft|king|queen|single bed|double bed)\b/,
  ),
  W('product_question', 2.0, /\bwarrant\w*|\bguarantee\b/),
  W(
    'product_question',
    2.0,
    /\b(?:original|genuine|authentic|fake|counterfeit|real product|duplicate product|first copy)\b/,
  ),
  W('product_question', 1.7, /\b(?:expiry|expiration|expire|expires|shelf life|best before|manufactur\w*|mfg)\b/),
  W(
    'product_question',
    1.8,
    /\b(?:side effects?|adverse|allergic|allergy|allergies|allergen\w*|ingredients?|halal|vegan|vegetarian|gluten|lactose|safe (?:for|to)|pregnan\w*|breastfeeding|diabet\w*|blood pressure|medical condition|contraindicat\w*)\b/,
    { flag: 'health_safety' },
  ),
  W(
    'product_question',
    1.4,
    /\b(?:features?|specification\w*|specs|material|materials|made of|fabric|compatible|compatibility|difference|differences|different between|differ|compare|comparison|versus|vs|better|best|recommend\w*|suggest\w*|which (?:one|is|product|mattress|size|protein|brand|model)|good for|suitable|benefits?|how to use)\b/,
  ),
  W('product_question', 1.2, /\b(?:dosage|dose|doses|how many (?:tablets|capsules|scoops)|per day)\b/, {
    flag: 'health_safety',
  }),
  W(
    'product_question',
    1.3,
    /\b(?:in stock|out of stock|back in stock|restock\w*|sold out|availability|have (?:it|this|these) in)\b/,
  ),
  W(
    'product_question',
    1.5,
    /\b(?:does|do|will|can|is|are) (?:it|this|these|they|the \w+|this \w+) (?:have|come|fit|work with|include|contain|support|suitable|made|available|waterproof|washable)\b/,
  ),
  W(
    'product_question',
    1.1,
    /\b(?:mattress\w*|matress\w*|mattres|pillows?|pilows?|protein|whey|supplements?|vitamins?|capsules?|tablets?|immunity|ortho|ergo|foam|latex|creatine|gainer|bcaa|multivitamin\w*|omega|bedsheets?|topper|cushion|glutathione|collagen|biotin|protein powder)\b/,
  ),
  W(
    'product_question',
    1.6,
    /\b(?:free )?trial\b|\b100 nights?\b|\boffers?\b|\bdiscounts?\b|\bdeals?\b|\bcoupons?\b|\bpromo\b|\bsale\b/,
  ),
  W(
    'product_question',
    1.4,
    /\b(?:weight|muscle|mass) (?:gain|loss|gaining|building)\b|\b(?:lose|gain|put on|increase|reduce) (?:my )?(?:weight|muscle|mass|fat)\b|\bbuild muscle\b|\bback pain\b|\bincrease (?:my )?immunity\b/,
  ),
  W('product_question', 1.0, /\bcustomi[sz]\w*|\bcustom (?:size|sizes|made)\b/),

  // complaint
  W(
    'complaint',
    2.7,
    /\b(?:complain|complained|complaining|complaint|complaints|grievance|grievances)\b|\b(?:file|filing|lodge|lodging|make|making|submit|raise)\w* (?:a |an )?(?:consumer |customer |formal )?(?:claim|complaint)\b|\bclaim against\b|\bconsumer claim\b/,
  ),
  W(
    'complaint',
    2.2,
    /\b(?:bad|poor|terrible|awful|horrible|worst|pathetic|disgraceful|lousy|shocking|appalling|rubbish|unprofessional|rude|useless) (?:customer )?(?:service|experience|support|communication|quality|staff|company|response|treatment)\b|\brude (?:agent|staff|person|employee|driver)\b/,
  ),
  W(
    'complaint',
    1.4,
    /\bnot (?:happy|satisfied|pleased)\b|\bdissatisf\w*|\bunsatisf\w*|\bdisappoint\w*|\bfed up\b|\bsick (?:and tired )?of\b|\bwaste of (?:time|money)\b|\bunacceptable\b|\bridiculous\b|\bdisgust\w*|\boutrageous\b|\bappall\w*/,
  ),

  // other (in-scope questions that are none of the above)
  W(
    'other',
    2.0,
    /\b(?:feedback|reviews?|rate (?:your|the) (?:service|company)|testimonial|suggestion box|opinion about)\b/,
  ),
  W(
    'other',
    2.2,
    /\b(?:payment (?:methods?|options?|modalities|modes?|types?)|modes? of payments?|ways? to pay|how (?:can|do|to|should) (?:i )?pay|accept(?:ed)? (?:payment|cards?|paypal|credit|apple pay)|cash on delivery|cod|emi|installments?|instalments?|pay later|klarna|afterpay|no cost emi)\b/,
  ),
  W(
    'other',
    2.0,
    /\b(?:place|placing|make|making|put in) (?:an? |my |the )?(?:new )?(?:order|purchase)\b|\bhow (?:can|do|to|could) (?:i |we )?(?:order|buy|purchase|shop)\b|\b(?:want|like|wish|would like|need|trying|try) to (?:buy|order|purchase|shop)\b|\bhelp (?:me )?(?:to )?(?:buy|order|purchase|shop)\b/,
  ),
  W('other', 0.7, /\b(?:buy|buying|purchase|shop|shopping)\b/),
  W(
    'other',
    2.1,
    /\b(?:do you|can you|will you|you) (?:deliver|ship|send)\w* (?:to|in|outside|abroad|internationally|overseas)\b|\bdelivery options?\b|\bshipping (?:options?|methods?|countries|rates?|costs?|charges?|policy)\b|\binternational (?:shipping|delivery)\b|\bpin ?codes?\b|\bpostcodes?\b|\bzip ?codes?\b|\bserviceab\w*|\b(?:order|buy|purchase) from [a-z]+\b|\bdelivery (?:available|possible) (?:in|to|at)\b|\bdeliver (?:out of|outside)\b/,
  ),
  W(
    'other',
    1.9,
    /\b(?:customer (?:service|support|care|assistance|services)|call cent\w*|call center|helpline|help line|hotline|phone number|contact (?:number|details|info|information|email)|opening hours|working hours|business hours|what hours|hours (?:of|are)|support team|toll free|contact (?:you|support|us))\b/,
  ),
  W('other', 1.4, /\b(?:store|stores|shop|shops|showroom|outlet|branch|offline|retail)\b(?! credit)/),
  W(
    'other',
    2.2,
    /\b(?:franchise|distributor\w*|dealer\w*|dealership|seller|sellers|sell on|become a (?:seller|partner|vendor)|reseller|wholesale|bulk order|vendor|partnership|collaborat\w*)\b/,
  ),
  W('other', 1.3, /\b(?:covid\w*|lockdown|corona\w*|pandemic)\b/),
  W('other', 1.6, /\b(?:job|jobs|career|careers|hiring|vacancy|work from home|internship|office)\b/),
  W('other', 2.3, /\b(?:start over|start again|main menu|restart|go back)\b/),
  W('other', 1.5, /\b(?:diet plan|diet chart|consult\w*|nutritionist|coach|goals?)\b/),

  // additions after the first dev-set error review (general phrasings, not dataset sentences)
  W(
    'order_status',
    2.2,
    /\bprogress (?:of|on) (?:my |the )?(?:\w+ )?(?:order|orders|shipment|delivery|package)|\b(?:order|shipment|delivery) (?:\w+ )?progress\b|\b(?:locate|trace) (?:my |the |a )?(?:\w+ )?(?:order|purchase|package|parcel|shipment)\b/,
  ),
  W('order_status', 1.2, /\bstatus\b/),
  W(
    'order_status',
    1.5,
    /\bexpedite\w*|\bdeliver\w* (?:on|by) (?:a |the )?(?:certain|specific|particular|set) (?:date|day)\b|\b(?:get|need) (?:my|the) (?:card|order|package) (?:quickly|faster|sooner|urgently)\b/,
  ),
  W(
    'change_order',
    2.3,
    /\b(?:switch|swap|chang|replac|exchang|modif|edit|remov|add|updat)\w* (?:\w+ ){0,3}(?:of|in|from|on|to) (?:my |the |this |an? )?(?:order|purchase)\b/,
  ),
  W(
    'change_order',
    2.3,
    /\b(?:chang|modif|edit|updat|amend|alter|correct|adjust)\w* (?:to )?(?:my |the |an |this |a |that |our )?(?:existing |recent |current )?(?:order|orders|purchase|purchases)\b/,
  ),
  W(
    'complaint',
    2.4,
    /\breclamation\w*|\b(?:make|making|lodge|lodging|file|filing|submit|submitting|raise|open|opening|place)\w* (?:a |an )?(?:\w+ ){0,2}(?:claim|reclamation)s?\b/,
  ),
  W(
    'refund_request',
    2.2,
    /\bcompensat\w* (?:of|for) (?:\w+ )?(?:money|dollars|\d+)|\b(?:ask|asking|request|requesting|demand|obtain|get|claim|expect|expecting|waiting for)\w* (?:for )?(?:a |an |my |the |some )?(?:\w+ )?compensat\w*/,
  ),
  W(
    'payment_issue',
    2.6,
    /\b(?:payment|transaction|purchase|charge)s? (?:was |has been |have been |got |is |were )?(?:reversed|reverted|cancell?ed|came back|returned|bounced|undone)\b|\b(?:app|bank|system|merchant) (?:cancell?ed|reverted|reversed) (?:it|my|the)\b/,
  ),
  W(
    'payment_issue',
    2.3,
    /\basked for .{1,25}\b(?:only )?(?:got|gave|received|get)\b|\bless (?:money|cash) than\b|\bdid not (?:get|receive) (?:all|enough|the full|the right) (?:the )?(?:cash|money|amount)\b|\bonly (?:got|gave|received|get) (?:me )?\d/,
  ),
  W('payment_issue', 1.6, /\bexchang\w* (?:\w+ )?(?:currenc\w*|foreign|money|euros?|dollars?|pounds?)|\bcurrenc\w*/),
  W(
    'payment_issue',
    2.4,
    /\b(?:transfer|transaction|payment|money|funds|top ?up|deposit|salary)\w*\b.{0,40}\b(?:delay\w*|not (?:arrived|received|been received|gone through|come through|showing|shown|reached)|has not (?:arrived|reached|come)|pending|still not|yet to)\b/,
  ),
  W(
    'account',
    2.3,
    /\b(?:key|pwd|pass) (?:recovery|retrieval|reset)\b|\b(?:recover|restor|reset|retriev|forgot|forget|lost)\w* (?:my |the |a )?(?:\w+ )?(?:key|pwd|pass|credentials)\b/,
  ),
  W(
    'account',
    2.0,
    /\b(?:set|setting|submit|submitting|enter|entering)\w* (?:up )?(?:a |my |the |new |another )*(?:new)?(?:shipping|delivery|billing) ?address/,
  ),
  W(
    'account',
    2.3,
    /\bsource of (?:my |the |your )?(?:\w+ )?funds?\b|\bwhere (?:exactly )?(?:does|do|did) (?:my |the )?(?:money|funds) (?:come|came) from\b|\bwhere (?:my |the )?(?:money|funds) (?:comes|came|come) from\b/,
  ),
  W(
    'account',
    1.9,
    /\b(?:request|order|get|apply for|have|need)\w* (?:a |an |my own |another |one more )?(?:\w+ )?cards?\b(?! (?:payment|declined|was|is|has|not))|\bcards?\b.{0,25}\b(?:link\w*|into (?:my |the )?app|in the app|found|find)\b|\bfound my card\b/,
  ),
  W('product_question', 2.0, /\bauthentic\w*|\boriginality\b|\bauthenticated\b/),
  W(
    'product_question',
    1.8,
    /\b(?:products|items|range|varieties|variety|catalog\w*|kinds of products|types of products|options)\b.{0,20}\b(?:you have|you sell|you offer|available)\b|\b(?:your|all|other|more) (?:products|items|range|collection)\b|\bbrowse\b/,
  ),
  W('other', 2.4, /\bif i (?:order|place|buy|purchase)\w* (?:\w+ ){0,3}(?:today|now|tomorrow|this week)\b/),
  W(
    'payment_issue',
    2.8,
    /\b(?:duplicate|copy of (?:the |my )?|copy of)(?: \w+)? ?(?:bill|invoice)\b|\b(?:bill|invoice)s? (?:for|of) (?:my |the )?(?:\w+ )?(?:orders?|products?|purchase)\b|\bpayments? (?:and|&)? ?bills?\b|\b(?:provided|received|given|sent) (?:me )?my bill\b|\bmy bill\b/,
  ),
  W(
    'payment_issue',
    2.4,
    /\b(?:money|amount|payment)\b.{0,20}\b(?:deducted|debited|taken)\b.{0,40}\border (?:is |was |has )?(?:not|never) (?:been )?(?:placed|confirmed|created)\b/,
  ),
  W(
    'fraud_claim',
    2.4,
    /\bnever seen (?:it |this |that |them )?before\b|\bhave never seen\b|\b(?:seems|looks|is) (?:\w+ )?(?:fishy|dodgy|suspicious)\b|\bnot my (?:\w+ )?(?:transaction|payment|charge|withdrawal|debit|purchase|order)s?\b|\bdid not put (?:that|this|the|any) (?:money|cash|funds)\b/,
  ),
  W(
    'fraud_claim',
    2.4,
    /\bdid not (?:get|receive|take) (?:the |any |that |this )?cash\b|\bcash\b.{0,40}\bi (?:did not|never) (?:get|receive|take)\b|\bpolice\b|\b(?:find|found) my (?:lost )?card\b(?! (?:and|but|again))|\bdisagree with (?:a |the |this |that )?(?:charge|payment|transaction)/,
  ),
];
