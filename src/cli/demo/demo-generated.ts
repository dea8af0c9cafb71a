import { existsSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type * as PdfLib from 'pdf-lib';
import { wrapToWidth } from './wrap-to-width.js';

/**
 * The demo's binary documents, built by code at first start (nothing binary is committed): a price
 * list per company as XLSX, and a manual as PDF when a Japanese font and pdf-lib are available.
 */
export interface GeneratedDocument {
  fileName: string;
  bytes: Buffer;
}

type Row = (string | number)[];

async function workbook(sheets: { name: string; rows: Row[]; widths: number[] }[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Kura demo';
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.name);
    spec.rows.forEach((row) => sheet.addRow(row));
    sheet.getRow(1).font = { bold: true };
    spec.widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const MOBILE_PRICES: Row[] = [
  ['プラン', '月額料金（税込・円）', 'データ容量', '通話', '5G', '備考'],
  ['ソラ5Gミニ', 1280, '3GB', '22円/30秒', '対応', '家族割の対象外'],
  ['ソラ5Gギガ', 4680, '35GB', '22円/30秒', '対応', '2025年11月1日改定（旧4,980円・30GB）'],
  ['ソラ5G無制限', 7480, '無制限', '国内通話かけ放題', '対応', 'テザリングは月60GBまで'],
  ['ソラキッズ', 980, '1GB', '家族間無料', '非対応', '12歳以下'],
];

const MOBILE_OPTIONS: Row[] = [
  ['オプション', '料金（税込・円）', '単位', '説明'],
  ['ギガチャージ', 550, '1GB', '速度制限中でもすぐに解除'],
  ['ソラ世界ローミング', 980, '24時間', '約200の国と地域、1回の渡航につき7日分まで課金'],
  ['かけ放題ライト', 550, '月額', '1回10分以内の国内通話が無料'],
  ['端末補償', 880, '月額', '故障・紛失・盗難を補償（自己負担5,500円）'],
];

const PAY_FEES: Row[] = [
  ['決済手段', '手数料率（税別）', '2026年1月からの中小加盟店料率', '入金サイクル', '備考'],
  ['ソラペイ QRコード決済', '3.24%', '2.95%', '月2回', '中小加盟店：年商1億円以下'],
  ['Visa / Mastercard', '3.24%', '3.24%', '月2回', ''],
  ['JCB / American Express / Diners', '3.74%', '3.74%', '月2回', ''],
  ['交通系電子マネー', '3.24%', '3.24%', '月2回', '端末S1のみ対応'],
  ['iD / QUICPay', '3.24%', '3.24%', '月2回', ''],
];

const PAY_TERMINALS: Row[] = [
  ['端末', '価格（税別・円）', '月額（税別・円）', '対応決済', '備考'],
  ['SoraPay Terminal S1', 0, 0, 'カード・電子マネー・QR', '無償貸与、レシートプリンタ内蔵'],
  ['SoraPay Go', 19800, 0, 'カード・QR', 'スマートフォンとBluetoothで接続'],
  ['SoraPay Kiosk', 148000, 3300, 'カード・電子マネー・QR', 'セルフレジ向け'],
];

const MOBILE_MANUAL = [
  [
    '端末設定マニュアル（ソラモバイル）',
    'この手引きは、ソラモバイルのSIMカードまたはeSIMを使い始めるための設定方法を説明します。',
    '第1章 APN設定',
    'iPhoneでは、プロファイルをダウンロードすると自動で設定されます。Androidでは「設定」→「ネットワークとインターネット」→「SIM」→「アクセスポイント名」を開き、APNに sora.mobile.jp を入力します。',
    'ユーザー名は sora、パスワードは sora、認証タイプはCHAPを選びます。',
  ],
  [
    '第2章 eSIMの開通',
    'My Soraアプリで「eSIMを発行」を選び、表示されたQRコードを端末のカメラで読み取ります。開通まで最大30分かかります。',
    'eSIMの再発行は1回につき440円です。機種変更の際は、古い端末でeSIMを削除する前に、新しい端末で再発行を申し込んでください。',
    '第3章 困ったときは',
    '圏外のままの場合は、機内モードをオンにしてから10秒後にオフにしてください。それでも直らない場合は、カスタマーセンター（0120-000-151）にご連絡ください。',
  ],
];

const PAY_MANUAL = [
  [
    '加盟店向け端末操作マニュアル（ソラペイ）',
    'この手引きは、決済端末 SoraPay Terminal S1 の基本操作を説明します。',
    '第1章 売上の登録',
    'ホーム画面で金額を入力し、決済方法（カード、電子マネー、QR）を選びます。カードはICチップを差し込み、お客さまに暗証番号を入力していただきます。',
    'QRコード決済では、端末に表示されたQRコードをお客さまのアプリで読み取っていただきます。',
  ],
  [
    '第2章 取消と返品',
    'メニューから「取消」を選び、取引番号（レシート右上の8桁）を入力します。売上日から90日を過ぎた取引は端末では取り消せません。加盟店サポート（0120-000-822）にご連絡ください。',
    '第3章 日次締め',
    '営業終了後に「日計」を押すと、その日の売上合計が印刷されます。日計を行わなくても売上は自動で送信されます。',
  ],
];

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf',
  '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
  '/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
];

const HD_SERVICE_FEES: Row[] = [
  ['サービス', '単価（税別・円）', '単位', '課金先', '備考'],
  ['SoraID（グループ共通ID）', 300, '1ID・月額', '各社', '多要素認証を含む'],
  ['SoraExpense（経費精算）', 450, '1ID・月額', '各社', '2025年10月から電子帳簿保存法対応版'],
  ['グループ社員ポータル', 120, '1ID・月額', '各社', ''],
  ['Kura（社内検索・生成AI）', 1800, '1ID・月額', '各社', '2026年3月までは導入支援のため半額'],
  ['グループSOC監視', 2500000, '1社・月額', '各社', '24時間365日の監視と一次対応'],
];

const HD_SERVICE_DISCOUNTS: Row[] = [
  ['条件', '割引率', '適用開始', '説明'],
  ['利用ID数 1,000以上', '5%', '2025年4月', 'ID課金のサービスに適用'],
  ['利用ID数 5,000以上', '10%', '2025年4月', 'ID課金のサービスに適用'],
  ['新設会社', '50%', '設立から12か月', 'グループ新設会社の立ち上げ支援'],
];

const HD_MANUAL = [
  [
    'グループ社員ポータル 利用マニュアル（第3版 2025年9月）',
    '1. はじめに　グループ社員ポータルは、ソラグループの全社員が使う社内ポータルです。規程集、申請ワークフロー、社内検索 Kura への入口をまとめています。',
    '2. ログイン　SoraID とパスワードを入力し、スマートフォンのSoraID認証アプリで承認します。社外からのアクセスも同じ手順です。',
  ],
  [
    '3. 申請ワークフロー　出張申請、経費精算、稟議は「申請」メニューから行います。稟議の決裁額は、部門長300万円、担当役員3,000万円、それを超えるものは経営会議の承認が必要です。',
    '4. 規程集　最新版の規程は「規程集」に掲載されます。改定があった規程には「改定」マークが30日間表示されます。',
    '5. 問い合わせ　ITサービスデスク（内線 7100、平日9時～19時）。夜間・休日の緊急連絡はグループSOC（内線 7110）へ。',
  ],
];

/**
 * A multi-page Japanese PDF with a real text layer. pdf-lib and its font kit are development
 * dependencies and the font is a system package, so this returns undefined (the demo simply has no
 * PDF) when either is missing.
 */
async function manualPdf(pages: string[][], title: string): Promise<Buffer | undefined> {
  const fontPath = FONT_CANDIDATES.find((candidate) => existsSync(candidate) && candidate.endsWith('.ttf'));
  if (!fontPath) return undefined;
  let pdfLib: typeof PdfLib;
  let fontkit: Parameters<PdfLib.PDFDocument['registerFontkit']>[0];
  try {
    pdfLib = await import('pdf-lib');
    const module = (await import('@pdf-lib/fontkit')) as unknown as { default?: typeof fontkit };
    fontkit = module.default ?? (module as unknown as typeof fontkit);
  } catch {
    return undefined;
  }
  const pdf = await pdfLib.PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(title);
  const font = await pdf.embedFont(readFileSync(fontPath), { subset: true });
  const size = 11;
  const lineWidth = 44 * size; // 44 full-width characters
  for (const paragraphs of pages) {
    const page = pdf.addPage([595, 842]);
    const lines = paragraphs.flatMap((p) => [
      ...wrapToWidth(p, lineWidth, (character) => font.widthOfTextAtSize(character, size)),
      '',
    ]);
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 790 - i * (size + 4), size, font }));
  }
  return Buffer.from(await pdf.save());
}

export async function generatedDocuments(company: string): Promise<GeneratedDocument[]> {
  const out: GeneratedDocument[] = [];
  if (company === 'sora-mobile') {
    out.push({
      fileName: '料金表.xlsx',
      bytes: await workbook([
        { name: '料金プラン', rows: MOBILE_PRICES, widths: [16, 20, 12, 18, 8, 40] },
        { name: 'オプション', rows: MOBILE_OPTIONS, widths: [20, 16, 10, 48] },
      ]),
    });
    const pdf = await manualPdf(MOBILE_MANUAL, '端末設定マニュアル');
    if (pdf) out.push({ fileName: '端末設定マニュアル.pdf', bytes: pdf });
  }
  if (company === 'sora-pay') {
    out.push({
      fileName: '手数料表.xlsx',
      bytes: await workbook([
        { name: '決済手数料', rows: PAY_FEES, widths: [30, 16, 28, 12, 28] },
        { name: '端末', rows: PAY_TERMINALS, widths: [22, 16, 16, 26, 32] },
      ]),
    });
    const pdf = await manualPdf(PAY_MANUAL, '加盟店向け端末操作マニュアル');
    if (pdf) out.push({ fileName: '加盟店向け端末操作マニュアル.pdf', bytes: pdf });
  }
  if (company === 'sora-hd') {
    out.push({
      fileName: 'グループ共通サービス料金表.xlsx',
      bytes: await workbook([
        { name: '料金', rows: HD_SERVICE_FEES, widths: [28, 16, 12, 8, 40] },
        { name: '割引', rows: HD_SERVICE_DISCOUNTS, widths: [22, 8, 16, 36] },
      ]),
    });
    const pdf = await manualPdf(HD_MANUAL, 'グループ社員ポータル利用マニュアル');
    if (pdf) out.push({ fileName: 'グループ社員ポータル利用マニュアル.pdf', bytes: pdf });
  }
  return out;
}
