import type { PageLanguage } from '../shared/domain/page-language.ts';

/**
 * The opt-out pages' words in every language the reminders are written in, so a customer who
 * clicks "Unsubscribe" in a German email lands on a German page. One record per language, typed
 * alike, so no language can lack a sentence another has. `{company}` is the company's name.
 */

export interface OptOutWords {
  readonly confirmTitle: string;
  readonly confirmBody: string;
  readonly confirmButton: string;
  readonly doneTitle: string;
  readonly doneBody: string;
  readonly invalidTitle: string;
  readonly invalidBody: string;
  readonly retryTitle: string;
  readonly retryBody: string;
  readonly notFoundTitle: string;
  readonly badRequestTitle: string;
  readonly badRequestBody: string;
  readonly tooLargeTitle: string;
  readonly methodTitle: string;
}

export const OPT_OUT_WORDS: Readonly<Record<PageLanguage, OptOutWords>> = {
  en: {
    confirmTitle: 'Stop payment reminders?',
    confirmBody:
      '{company} sends you a reminder by email when an invoice is overdue. You can stop these reminders for your account; your invoices stay due.',
    confirmButton: 'Stop payment reminders',
    doneTitle: 'Payment reminders stopped',
    doneBody:
      'You will get no more payment reminders by email from {company}. To receive them again, contact our accounts team.',
    invalidTitle: 'This link is not valid',
    invalidBody: 'Please use the link from your most recent payment reminder.',
    retryTitle: 'Please try again later',
    retryBody: 'We could not process your request just now.',
    notFoundTitle: 'Account not found',
    badRequestTitle: 'Request not understood',
    badRequestBody: 'Expected List-Unsubscribe=One-Click.',
    tooLargeTitle: 'Request too large',
    methodTitle: 'Method not allowed',
  },
  de: {
    confirmTitle: 'Zahlungserinnerungen abbestellen?',
    confirmBody:
      '{company} schickt Ihnen eine Erinnerung per E-Mail, wenn eine Rechnung überfällig ist. Sie können diese Erinnerungen für Ihr Kundenkonto abbestellen; Ihre Rechnungen bleiben fällig.',
    confirmButton: 'Zahlungserinnerungen abbestellen',
    doneTitle: 'Zahlungserinnerungen abbestellt',
    doneBody:
      'Sie erhalten von {company} keine Zahlungserinnerungen per E-Mail mehr. Wenn Sie sie wieder erhalten möchten, wenden Sie sich an unsere Buchhaltung.',
    invalidTitle: 'Dieser Link ist ungültig',
    invalidBody: 'Bitte verwenden Sie den Link aus Ihrer letzten Zahlungserinnerung.',
    retryTitle: 'Bitte versuchen Sie es später noch einmal',
    retryBody: 'Wir konnten Ihre Anfrage gerade nicht bearbeiten.',
    notFoundTitle: 'Kundenkonto nicht gefunden',
    badRequestTitle: 'Anfrage nicht verstanden',
    badRequestBody: 'Erwartet wurde List-Unsubscribe=One-Click.',
    tooLargeTitle: 'Anfrage zu groß',
    methodTitle: 'Methode nicht erlaubt',
  },
  fr: {
    confirmTitle: 'Ne plus recevoir les rappels de paiement ?',
    confirmBody:
      "{company} vous envoie un rappel par e-mail lorsqu'une facture est en retard. Vous pouvez arrêter ces rappels pour votre compte ; vos factures restent dues.",
    confirmButton: 'Arrêter les rappels de paiement',
    doneTitle: 'Rappels de paiement arrêtés',
    doneBody:
      'Vous ne recevrez plus de rappels de paiement par e-mail de {company}. Pour les recevoir à nouveau, contactez notre service comptable.',
    invalidTitle: "Ce lien n'est pas valide",
    invalidBody: 'Merci d’utiliser le lien de votre dernier rappel de paiement.',
    retryTitle: 'Merci de réessayer plus tard',
    retryBody: "Nous n'avons pas pu traiter votre demande pour le moment.",
    notFoundTitle: 'Compte introuvable',
    badRequestTitle: 'Demande non comprise',
    badRequestBody: 'List-Unsubscribe=One-Click était attendu.',
    tooLargeTitle: 'Demande trop volumineuse',
    methodTitle: 'Méthode non autorisée',
  },
  es: {
    confirmTitle: '¿Dejar de recibir recordatorios de pago?',
    confirmBody:
      '{company} le envía un recordatorio por correo electrónico cuando una factura está vencida. Puede dejar de recibir estos recordatorios en su cuenta; sus facturas siguen pendientes de pago.',
    confirmButton: 'Dejar de recibir recordatorios',
    doneTitle: 'Recordatorios de pago desactivados',
    doneBody:
      'Ya no recibirá recordatorios de pago por correo electrónico de {company}. Para volver a recibirlos, póngase en contacto con nuestro departamento de contabilidad.',
    invalidTitle: 'Este enlace no es válido',
    invalidBody: 'Utilice el enlace de su último recordatorio de pago.',
    retryTitle: 'Inténtelo de nuevo más tarde',
    retryBody: 'No hemos podido procesar su solicitud en este momento.',
    notFoundTitle: 'Cuenta no encontrada',
    badRequestTitle: 'Solicitud no comprendida',
    badRequestBody: 'Se esperaba List-Unsubscribe=One-Click.',
    tooLargeTitle: 'Solicitud demasiado grande',
    methodTitle: 'Método no permitido',
  },
  ja: {
    confirmTitle: 'お支払いのご案内メールを停止しますか？',
    confirmBody:
      '{company}では、お支払い期日を過ぎた請求書がある場合にメールでご案内をお送りしています。お客様のアカウントについてこのご案内を停止できます（請求書のお支払い義務は変わりません）。',
    confirmButton: 'ご案内メールを停止する',
    doneTitle: 'お支払いのご案内メールを停止しました',
    doneBody:
      '今後、{company}からお支払いのご案内メールは届きません。再開をご希望の場合は、弊社経理担当までご連絡ください。',
    invalidTitle: 'このリンクは無効です',
    invalidBody: '最新のお支払いのご案内メールに記載のリンクをご利用ください。',
    retryTitle: 'しばらくしてから再度お試しください',
    retryBody: '現在、お手続きを処理できませんでした。',
    notFoundTitle: 'アカウントが見つかりません',
    badRequestTitle: 'リクエストを処理できません',
    badRequestBody: 'List-Unsubscribe=One-Click が必要です。',
    tooLargeTitle: 'リクエストが大きすぎます',
    methodTitle: '許可されていないメソッドです',
  },
};
