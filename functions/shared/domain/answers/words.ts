import type { AnswerKind, AnswerStatus } from './kinds.ts';
import type { FormField, FormProblemCode } from './rules.ts';

/**
 * What the answer pages and the confirmation email say, in each language the reminders speak. Whole
 * sentences with `{name}` placeholders, so a translator never assembles grammar from pieces.
 */
export interface Words {
  readonly title: string;
  readonly greeting: string;
  readonly intro: string;
  readonly invoice: string;
  /** The confirmation's label before several invoice numbers. */
  readonly invoices: string;
  readonly dueDate: string;
  readonly outstanding: string;
  readonly paidThanks: string;
  readonly payNow: string;
  readonly bankTransfer: string;
  readonly yourAnswer: string;
  readonly replaces: string;
  readonly said: Readonly<Record<AnswerKind, string>>;
  readonly status: Readonly<Record<AnswerStatus, string>>;
  readonly forms: Readonly<Record<AnswerKind, { readonly title: string; readonly help: string }>>;
  readonly allInvoices: string;
  readonly paidOn: string;
  readonly reference: string;
  readonly payBy: string;
  readonly reason: string;
  readonly planMessage: string;
  readonly send: string;
  readonly optional: string;
  readonly confirmedTitle: string;
  readonly confirmed: Readonly<Record<AnswerKind, string>>;
  readonly emailSent: string;
  readonly back: string;
  readonly nothingOpen: string;
  readonly invalidTitle: string;
  readonly invalid: string;
  readonly checkTitle: string;
  readonly fields: Readonly<Record<FormField, string>>;
  readonly problems: Readonly<Record<FormProblemCode | 'settled', string>>;
  readonly tooLargeTitle: string;
  readonly tooLarge: string;
  readonly limitTitle: string;
  readonly limit: string;
  /** A POST whose store or key could not be reached: the answer is not in effect, try again. */
  readonly notRecordedTitle: string;
  readonly notRecorded: string;
  /** A GET whose store or key could not be reached. */
  readonly unavailableTitle: string;
  readonly unavailable: string;
  readonly emailSubject: string;
  readonly emailThanks: string;
  readonly emailChange: string;
  readonly questions: string;
}

const en: Words = {
  title: 'Your invoices with {company}',
  greeting: 'Hello {name},',
  intro:
    'Let us know where things stand. Your answer reaches our accounts team at once and we adjust our reminders to it.',
  invoice: 'Invoice',
  invoices: 'Invoices',
  dueDate: 'Due date',
  outstanding: 'Outstanding',
  paidThanks: 'Paid, thank you',
  payNow: 'Pay now',
  bankTransfer: 'Bank transfer: {accountName}, IBAN {iban}',
  yourAnswer: 'Your answer of {date}: {said}. {status}.',
  replaces: 'A new answer below replaces it.',
  said: {
    paid: 'you have paid',
    promise: 'you will pay by {date}',
    dispute: 'you dispute the invoice',
    plan: 'you would like a payment plan',
  },
  status: {
    held: 'Reminders are on hold',
    kept: 'Promise kept, thank you',
    broken: 'The promised date has passed',
    matched: 'Payment received',
    unmatched: 'We have not found the payment yet',
    superseded: 'Replaced by a later answer',
    resolved: 'Our team has taken care of it',
  },
  forms: {
    paid: { title: 'I have paid', help: 'We hold reminders for {days} days while we match your payment.' },
    promise: {
      title: 'I will pay by',
      help: 'Choose a date up to {latest}. We hold reminders until then, plus {days} days.',
    },
    dispute: {
      title: 'I dispute this invoice',
      help: 'Tell us what is wrong. A person from our team looks into it; reminders for the invoice stop meanwhile.',
    },
    plan: {
      title: 'I need a payment plan',
      help: 'Tell us what would work for you. A person from our team will contact you; reminders wait meanwhile.',
    },
  },
  allInvoices: 'All invoices above',
  paidOn: 'Date of payment',
  reference: 'Payment reference',
  payBy: 'I will pay by',
  reason: 'What is wrong',
  planMessage: 'Your message',
  send: 'Send',
  optional: 'optional',
  confirmedTitle: 'Thank you, we have your answer',
  confirmed: {
    paid: 'We will match your payment and hold reminders until {until}.',
    promise: 'You will pay by {date}. We hold reminders until {until}.',
    dispute: 'Our team will look into it; reminders for the invoice stop meanwhile.',
    plan: 'Our team will contact you about a payment plan; reminders wait meanwhile.',
  },
  emailSent: 'We have sent you a confirmation by email.',
  back: 'Back to your invoices',
  nothingOpen: 'Nothing is outstanding on these invoices. Thank you!',
  invalidTitle: 'This link is not valid',
  invalid:
    'It may have expired or been copied incompletely. Please use the link in your latest payment reminder, or write to us.',
  checkTitle: 'Please check your answer',
  fields: {
    action: 'Answer',
    invoice: 'Invoice',
    date: 'Date',
    reference: 'Payment reference',
    message: 'Message',
  },
  problems: {
    required: '{field} is required.',
    unknown: '{field} is not one of the choices on this page.',
    not_a_date: '{field} is not a date.',
    too_early: '{field} must be {limit} or later.',
    too_late: '{field} must be {limit} or earlier.',
    in_future: '{field} cannot be after {limit}.',
    too_long: '{field} is longer than {limit} characters.',
    settled: '{field}: nothing is outstanding on it any more.',
  },
  tooLargeTitle: 'Your answer is too long',
  tooLarge: 'Please shorten your message and send it again.',
  limitTitle: 'This link has taken its answers',
  limit: 'This link has been used for {count} answers. Please write to us for anything more.',
  notRecordedTitle: 'Your answer was not recorded',
  notRecorded:
    'Something went wrong on our side, so we could not record your answer. Please try again in a few minutes.',
  unavailableTitle: 'This page cannot be shown just now',
  unavailable: 'Something went wrong on our side. Please open the link in your email again in a few minutes.',
  emailSubject: 'We have your answer about {numbers}',
  emailThanks: 'Thank you for letting us know.',
  emailChange: 'To change your answer, use this link: {url}',
  questions: 'Questions? Write to {email}.',
};

const de: Words = {
  title: 'Ihre Rechnungen bei {company}',
  greeting: 'Guten Tag {name},',
  intro:
    'Sagen Sie uns, wie es steht. Ihre Antwort erreicht unsere Buchhaltung sofort, und wir richten unsere Erinnerungen danach.',
  invoice: 'Rechnung',
  invoices: 'Rechnungen',
  dueDate: 'Fällig am',
  outstanding: 'Offen',
  paidThanks: 'Bezahlt, vielen Dank',
  payNow: 'Jetzt bezahlen',
  bankTransfer: 'Überweisung: {accountName}, IBAN {iban}',
  yourAnswer: 'Ihre Antwort vom {date}: {said}. {status}.',
  replaces: 'Eine neue Antwort unten ersetzt sie.',
  said: {
    paid: 'Sie haben bezahlt',
    promise: 'Sie zahlen bis {date}',
    dispute: 'Sie beanstanden die Rechnung',
    plan: 'Sie wünschen eine Ratenzahlung',
  },
  status: {
    held: 'Erinnerungen ruhen',
    kept: 'Zusage eingehalten, vielen Dank',
    broken: 'Das zugesagte Datum ist verstrichen',
    matched: 'Zahlung eingegangen',
    unmatched: 'Wir haben die Zahlung noch nicht gefunden',
    superseded: 'Durch eine spätere Antwort ersetzt',
    resolved: 'Unser Team hat sich darum gekümmert',
  },
  forms: {
    paid: {
      title: 'Ich habe bezahlt',
      help: 'Wir setzen Erinnerungen {days} Tage aus, während wir Ihre Zahlung zuordnen.',
    },
    promise: {
      title: 'Ich zahle bis',
      help: 'Wählen Sie ein Datum bis zum {latest}. Bis dahin und {days} Tage darüber hinaus ruhen die Erinnerungen.',
    },
    dispute: {
      title: 'Ich beanstande diese Rechnung',
      help: 'Sagen Sie uns, was nicht stimmt. Eine Person aus unserem Team prüft es; Erinnerungen zu der Rechnung ruhen so lange.',
    },
    plan: {
      title: 'Ich brauche eine Ratenzahlung',
      help: 'Sagen Sie uns, was für Sie passt. Eine Person aus unserem Team meldet sich; Erinnerungen ruhen so lange.',
    },
  },
  allInvoices: 'Alle Rechnungen oben',
  paidOn: 'Zahlungsdatum',
  reference: 'Verwendungszweck',
  payBy: 'Ich zahle bis',
  reason: 'Was nicht stimmt',
  planMessage: 'Ihre Nachricht',
  send: 'Senden',
  optional: 'optional',
  confirmedTitle: 'Vielen Dank, wir haben Ihre Antwort',
  confirmed: {
    paid: 'Wir ordnen Ihre Zahlung zu und setzen Erinnerungen bis zum {until} aus.',
    promise: 'Sie zahlen bis {date}. Erinnerungen ruhen bis zum {until}.',
    dispute: 'Unser Team prüft es; Erinnerungen zu der Rechnung ruhen so lange.',
    plan: 'Unser Team meldet sich wegen einer Ratenzahlung; Erinnerungen ruhen so lange.',
  },
  emailSent: 'Wir haben Ihnen eine Bestätigung per E-Mail geschickt.',
  back: 'Zurück zu Ihren Rechnungen',
  nothingOpen: 'Auf diesen Rechnungen ist nichts mehr offen. Vielen Dank!',
  invalidTitle: 'Dieser Link ist nicht gültig',
  invalid:
    'Er ist vielleicht abgelaufen oder unvollständig kopiert. Bitte nutzen Sie den Link aus Ihrer letzten Zahlungserinnerung oder schreiben Sie uns.',
  checkTitle: 'Bitte prüfen Sie Ihre Antwort',
  fields: {
    action: 'Antwort',
    invoice: 'Rechnung',
    date: 'Datum',
    reference: 'Verwendungszweck',
    message: 'Nachricht',
  },
  problems: {
    required: '{field} fehlt.',
    unknown: '{field} ist keine der Möglichkeiten auf dieser Seite.',
    not_a_date: '{field} ist kein Datum.',
    too_early: '{field} muss der {limit} oder später sein.',
    too_late: '{field} muss der {limit} oder früher sein.',
    in_future: '{field} darf nicht nach dem {limit} liegen.',
    too_long: '{field} ist länger als {limit} Zeichen.',
    settled: '{field}: darauf ist nichts mehr offen.',
  },
  tooLargeTitle: 'Ihre Antwort ist zu lang',
  tooLarge: 'Bitte kürzen Sie Ihre Nachricht und senden Sie sie erneut.',
  limitTitle: 'Dieser Link hat seine Antworten erhalten',
  limit: 'Über diesen Link kamen bereits {count} Antworten. Für alles Weitere schreiben Sie uns bitte.',
  notRecordedTitle: 'Ihre Antwort wurde nicht gespeichert',
  notRecorded:
    'Bei uns ist ein Fehler aufgetreten, daher konnten wir Ihre Antwort nicht speichern. Bitte versuchen Sie es in einigen Minuten noch einmal.',
  unavailableTitle: 'Diese Seite kann gerade nicht angezeigt werden',
  unavailable:
    'Bei uns ist ein Fehler aufgetreten. Bitte öffnen Sie den Link aus Ihrer E-Mail in einigen Minuten noch einmal.',
  emailSubject: 'Wir haben Ihre Antwort zu {numbers}',
  emailThanks: 'Vielen Dank für Ihre Nachricht.',
  emailChange: 'Um Ihre Antwort zu ändern, nutzen Sie diesen Link: {url}',
  questions: 'Fragen? Schreiben Sie an {email}.',
};

const fr: Words = {
  title: 'Vos factures chez {company}',
  greeting: 'Bonjour {name},',
  intro:
    'Dites-nous où en sont les choses. Votre réponse parvient aussitôt à notre service comptable et nous adaptons nos relances.',
  invoice: 'Facture',
  invoices: 'Factures',
  dueDate: 'Échéance',
  outstanding: 'Restant dû',
  paidThanks: 'Payée, merci',
  payNow: 'Payer maintenant',
  bankTransfer: 'Virement : {accountName}, IBAN {iban}',
  yourAnswer: 'Votre réponse du {date} : {said}. {status}.',
  replaces: 'Une nouvelle réponse ci-dessous la remplace.',
  said: {
    paid: 'vous avez payé',
    promise: 'vous paierez d’ici le {date}',
    dispute: 'vous contestez la facture',
    plan: 'vous souhaitez un échéancier',
  },
  status: {
    held: 'Les relances sont suspendues',
    kept: 'Engagement tenu, merci',
    broken: 'La date promise est passée',
    matched: 'Paiement reçu',
    unmatched: 'Nous n’avons pas encore trouvé le paiement',
    superseded: 'Remplacée par une réponse plus récente',
    resolved: 'Notre équipe s’en est occupée',
  },
  forms: {
    paid: {
      title: 'J’ai payé',
      help: 'Nous suspendons les relances pendant {days} jours, le temps de rapprocher votre paiement.',
    },
    promise: {
      title: 'Je paierai d’ici le',
      help: 'Choisissez une date jusqu’au {latest}. Les relances sont suspendues jusque-là, plus {days} jours.',
    },
    dispute: {
      title: 'Je conteste cette facture',
      help: 'Dites-nous ce qui ne va pas. Une personne de notre équipe l’examine ; les relances de cette facture cessent entre-temps.',
    },
    plan: {
      title: 'J’ai besoin d’un échéancier',
      help: 'Dites-nous ce qui vous conviendrait. Une personne de notre équipe vous contactera ; les relances attendent entre-temps.',
    },
  },
  allInvoices: 'Toutes les factures ci-dessus',
  paidOn: 'Date du paiement',
  reference: 'Référence du paiement',
  payBy: 'Je paierai d’ici le',
  reason: 'Ce qui ne va pas',
  planMessage: 'Votre message',
  send: 'Envoyer',
  optional: 'facultatif',
  confirmedTitle: 'Merci, nous avons votre réponse',
  confirmed: {
    paid: 'Nous rapprochons votre paiement et suspendons les relances jusqu’au {until}.',
    promise: 'Vous paierez d’ici le {date}. Les relances sont suspendues jusqu’au {until}.',
    dispute: 'Notre équipe l’examine ; les relances de cette facture cessent entre-temps.',
    plan: 'Notre équipe vous contactera au sujet d’un échéancier ; les relances attendent entre-temps.',
  },
  emailSent: 'Nous vous avons envoyé une confirmation par e-mail.',
  back: 'Retour à vos factures',
  nothingOpen: 'Plus rien n’est dû sur ces factures. Merci !',
  invalidTitle: 'Ce lien n’est pas valide',
  invalid:
    'Il a peut-être expiré ou été copié de façon incomplète. Utilisez le lien de votre dernière relance, ou écrivez-nous.',
  checkTitle: 'Veuillez vérifier votre réponse',
  fields: {
    action: 'Réponse',
    invoice: 'Facture',
    date: 'Date',
    reference: 'Référence du paiement',
    message: 'Message',
  },
  problems: {
    required: '{field} est obligatoire.',
    unknown: '{field} ne fait pas partie des choix de cette page.',
    not_a_date: '{field} n’est pas une date.',
    too_early: '{field} doit être le {limit} ou plus tard.',
    too_late: '{field} doit être le {limit} ou plus tôt.',
    in_future: '{field} ne peut pas être après le {limit}.',
    too_long: '{field} dépasse {limit} caractères.',
    settled: '{field} : plus rien n’est dû.',
  },
  tooLargeTitle: 'Votre réponse est trop longue',
  tooLarge: 'Veuillez raccourcir votre message et l’envoyer à nouveau.',
  limitTitle: 'Ce lien a reçu ses réponses',
  limit: 'Ce lien a déjà servi à {count} réponses. Pour toute autre chose, écrivez-nous.',
  notRecordedTitle: 'Votre réponse n’a pas été enregistrée',
  notRecorded:
    'Un problème est survenu de notre côté : nous n’avons pas pu enregistrer votre réponse. Veuillez réessayer dans quelques minutes.',
  unavailableTitle: 'Cette page ne peut pas être affichée pour le moment',
  unavailable:
    'Un problème est survenu de notre côté. Veuillez rouvrir le lien de votre e-mail dans quelques minutes.',
  emailSubject: 'Nous avons votre réponse concernant {numbers}',
  emailThanks: 'Merci de nous avoir informés.',
  emailChange: 'Pour modifier votre réponse, utilisez ce lien : {url}',
  questions: 'Des questions ? Écrivez à {email}.',
};

const es: Words = {
  title: 'Sus facturas con {company}',
  greeting: 'Hola {name}:',
  intro:
    'Díganos cómo están las cosas. Su respuesta llega enseguida a nuestro equipo de cuentas y ajustamos los recordatorios.',
  invoice: 'Factura',
  invoices: 'Facturas',
  dueDate: 'Vencimiento',
  outstanding: 'Pendiente',
  paidThanks: 'Pagada, gracias',
  payNow: 'Pagar ahora',
  bankTransfer: 'Transferencia: {accountName}, IBAN {iban}',
  yourAnswer: 'Su respuesta del {date}: {said}. {status}.',
  replaces: 'Una nueva respuesta abajo la sustituye.',
  said: {
    paid: 'ya ha pagado',
    promise: 'pagará antes del {date}',
    dispute: 'disputa la factura',
    plan: 'desea un plan de pagos',
  },
  status: {
    held: 'Los recordatorios están en pausa',
    kept: 'Compromiso cumplido, gracias',
    broken: 'La fecha prometida ha pasado',
    matched: 'Pago recibido',
    unmatched: 'Aún no hemos encontrado el pago',
    superseded: 'Sustituida por una respuesta posterior',
    resolved: 'Nuestro equipo se ha ocupado',
  },
  forms: {
    paid: {
      title: 'Ya he pagado',
      help: 'Pausamos los recordatorios {days} días mientras identificamos su pago.',
    },
    promise: {
      title: 'Pagaré antes del',
      help: 'Elija una fecha hasta el {latest}. Pausamos los recordatorios hasta entonces, más {days} días.',
    },
    dispute: {
      title: 'Disputo esta factura',
      help: 'Díganos qué está mal. Una persona de nuestro equipo lo revisa; mientras tanto no hay recordatorios de esta factura.',
    },
    plan: {
      title: 'Necesito un plan de pagos',
      help: 'Díganos qué le vendría bien. Una persona de nuestro equipo le contactará; mientras tanto los recordatorios esperan.',
    },
  },
  allInvoices: 'Todas las facturas de arriba',
  paidOn: 'Fecha del pago',
  reference: 'Referencia del pago',
  payBy: 'Pagaré antes del',
  reason: 'Qué está mal',
  planMessage: 'Su mensaje',
  send: 'Enviar',
  optional: 'opcional',
  confirmedTitle: 'Gracias, tenemos su respuesta',
  confirmed: {
    paid: 'Identificaremos su pago y pausamos los recordatorios hasta el {until}.',
    promise: 'Pagará antes del {date}. Pausamos los recordatorios hasta el {until}.',
    dispute: 'Nuestro equipo lo revisará; mientras tanto no hay recordatorios de esta factura.',
    plan: 'Nuestro equipo le contactará sobre un plan de pagos; mientras tanto los recordatorios esperan.',
  },
  emailSent: 'Le hemos enviado una confirmación por correo electrónico.',
  back: 'Volver a sus facturas',
  nothingOpen: 'No queda nada pendiente en estas facturas. ¡Gracias!',
  invalidTitle: 'Este enlace no es válido',
  invalid:
    'Puede haber caducado o haberse copiado de forma incompleta. Use el enlace de su último recordatorio de pago o escríbanos.',
  checkTitle: 'Revise su respuesta',
  fields: {
    action: 'Respuesta',
    invoice: 'Factura',
    date: 'Fecha',
    reference: 'Referencia del pago',
    message: 'Mensaje',
  },
  problems: {
    required: '{field} es obligatorio.',
    unknown: '{field} no es una de las opciones de esta página.',
    not_a_date: '{field} no es una fecha.',
    too_early: '{field} debe ser el {limit} o posterior.',
    too_late: '{field} debe ser el {limit} o anterior.',
    in_future: '{field} no puede ser posterior al {limit}.',
    too_long: '{field} tiene más de {limit} caracteres.',
    settled: '{field}: ya no queda nada pendiente.',
  },
  tooLargeTitle: 'Su respuesta es demasiado larga',
  tooLarge: 'Acorte su mensaje y envíelo de nuevo.',
  limitTitle: 'Este enlace ya ha recibido sus respuestas',
  limit: 'Este enlace ya se ha usado para {count} respuestas. Para cualquier otra cosa, escríbanos.',
  notRecordedTitle: 'Su respuesta no se ha registrado',
  notRecorded:
    'Se ha producido un error por nuestra parte y no hemos podido registrar su respuesta. Inténtelo de nuevo dentro de unos minutos.',
  unavailableTitle: 'Esta página no se puede mostrar ahora',
  unavailable:
    'Se ha producido un error por nuestra parte. Vuelva a abrir el enlace de su correo dentro de unos minutos.',
  emailSubject: 'Tenemos su respuesta sobre {numbers}',
  emailThanks: 'Gracias por informarnos.',
  emailChange: 'Para cambiar su respuesta, use este enlace: {url}',
  questions: '¿Preguntas? Escriba a {email}.',
};

const ja: Words = {
  title: '{company} からのご請求',
  greeting: '{name} 様',
  intro: '現在の状況をお知らせください。ご回答はすぐに経理担当に届き、お知らせに合わせて督促を調整します。',
  invoice: '請求書',
  invoices: '請求書',
  dueDate: '支払期日',
  outstanding: '未払額',
  paidThanks: 'お支払い済み、ありがとうございます',
  payNow: '今すぐ支払う',
  bankTransfer: '銀行振込：{accountName}、IBAN {iban}',
  yourAnswer: '{date} のご回答：{said}。{status}。',
  replaces: '下から新しくご回答いただくと、こちらは置き換えられます。',
  said: {
    paid: 'お支払い済み',
    promise: '{date} までにお支払い',
    dispute: '請求内容に異議あり',
    plan: '分割払いのご相談',
  },
  status: {
    held: '督促を一時停止しています',
    kept: 'お約束どおりお支払いいただきました',
    broken: 'お約束の日を過ぎています',
    matched: 'お支払いを確認しました',
    unmatched: 'お支払いをまだ確認できていません',
    superseded: 'その後のご回答に置き換えられました',
    resolved: '担当者が対応しました',
  },
  forms: {
    paid: { title: '支払い済みです', help: 'お支払いを照合する間、{days} 日間督促を停止します。' },
    promise: {
      title: '次の日までに支払います',
      help: '{latest} までの日付をお選びください。その日からさらに {days} 日間、督促を停止します。',
    },
    dispute: {
      title: 'この請求に異議があります',
      help: '問題点をお知らせください。担当者が確認し、その間この請求の督促は停止します。',
    },
    plan: {
      title: '分割払いを相談したい',
      help: 'ご希望をお知らせください。担当者からご連絡し、その間督促は停止します。',
    },
  },
  allInvoices: '上記のすべての請求書',
  paidOn: 'お支払い日',
  reference: '振込の参照番号',
  payBy: 'お支払い予定日',
  reason: '問題点',
  planMessage: 'メッセージ',
  send: '送信',
  optional: '任意',
  confirmedTitle: 'ご回答ありがとうございます',
  confirmed: {
    paid: 'お支払いを照合し、{until} まで督促を停止します。',
    promise: '{date} までにお支払いいただけるとのこと、{until} まで督促を停止します。',
    dispute: '担当者が確認します。その間この請求の督促は停止します。',
    plan: '分割払いについて担当者からご連絡します。その間督促は停止します。',
  },
  emailSent: '確認のメールをお送りしました。',
  back: '請求書の一覧に戻る',
  nothingOpen: 'これらの請求書に未払いはありません。ありがとうございます。',
  invalidTitle: 'このリンクは無効です',
  invalid:
    '有効期限が切れたか、正しくコピーされていない可能性があります。最新の督促メールのリンクをお使いいただくか、ご連絡ください。',
  checkTitle: 'ご回答をご確認ください',
  fields: {
    action: '回答',
    invoice: '請求書',
    date: '日付',
    reference: '振込の参照番号',
    message: 'メッセージ',
  },
  problems: {
    required: '{field}を入力してください。',
    unknown: '{field}はこのページの選択肢にありません。',
    not_a_date: '{field}が日付ではありません。',
    too_early: '{field}は {limit} 以降にしてください。',
    too_late: '{field}は {limit} 以前にしてください。',
    in_future: '{field}は {limit} より後にはできません。',
    too_long: '{field}が {limit} 文字を超えています。',
    settled: '{field}：未払いはもうありません。',
  },
  tooLargeTitle: 'ご回答が長すぎます',
  tooLarge: 'メッセージを短くして、もう一度送信してください。',
  limitTitle: 'このリンクでの回答は上限に達しました',
  limit: 'このリンクからはすでに {count} 件のご回答をいただいています。その他はご連絡ください。',
  notRecordedTitle: 'ご回答は記録されていません',
  notRecorded: '当社側で問題が発生したため、ご回答を記録できませんでした。数分後にもう一度お試しください。',
  unavailableTitle: 'ただいまこのページを表示できません',
  unavailable: '当社側で問題が発生しました。数分後にメールのリンクをもう一度開いてください。',
  emailSubject: '{numbers} についてのご回答を承りました',
  emailThanks: 'お知らせいただきありがとうございます。',
  emailChange: 'ご回答を変更するには、こちらのリンクをお使いください：{url}',
  questions: 'ご質問は {email} までお寄せください。',
};

export const WORDS: Readonly<Record<string, Words>> = { en, de, fr, es, ja };

/** The words for a BCP 47 locale's language, English when the language has none. */
export const wordsFor = (locale: string): { readonly language: string; readonly words: Words } => {
  let language = 'en';
  try {
    language = new Intl.Locale(locale).language;
  } catch {
    // An unparseable tag reads in English, like the reminders.
  }
  const words = WORDS[language];
  return words ? { language, words } : { language: 'en', words: en };
};

/** Fills `{name}` placeholders; a missing value leaves the placeholder visible rather than blank. */
export const fill = (sentence: string, values: Readonly<Record<string, string | number>>): string =>
  sentence.replace(/\{(\w+)\}/g, (whole, key: string) =>
    values[key] !== undefined ? String(values[key]) : whole,
  );
