import { describe, expect, it } from 'vitest';
import {
  makeDocx,
  makeEml,
  makeHtml,
  makeMarkdown,
  makePdf,
  makePptx,
  makeXlsx,
} from '../../../test/fixtures/index.js';
import { chunkSections } from '../chunking/chunk-sections.js';
import { parseDocument } from './parse-document.js';

const textOf = (doc: { sections: { text: string }[] }) =>
  doc.sections.map((section) => section.text).join('\n');

describe('parseDocument: every format to Japanese text with anchors', () => {
  it('PDF: one section per page, anchored at its page number', async () => {
    const doc = await parseDocument(await makePdf(), { fileName: '情報セキュリティ規程.pdf' });
    expect(doc.mimeType).toBe('application/pdf');
    expect(doc.title).toBe('情報セキュリティ規程');
    expect(doc.language).toBe('ja');
    expect(doc.metadata.pages).toBe('3');
    expect(doc.sections.map((section) => section.anchor)).toEqual([{ page: 1 }, { page: 2 }, { page: 3 }]);
    expect(doc.sections[0]?.text).toContain('パスワードは12文字以上とする。');
    expect(doc.sections[1]?.text).toContain('①暗号化 ②ロック ㈱蔵 情報システム部');
    expect(doc.sections[2]?.text).toContain('懲戒処分');
    const chunks = chunkSections(doc.sections);
    expect(chunks.find((chunk) => chunk.text.includes('上長の承認'))?.anchor).toEqual({ page: 2 });
  });

  it('DOCX: sections per heading, anchored at the heading path', async () => {
    const doc = await parseDocument(await makeDocx(), { fileName: '経費精算規程.docx' });
    expect(doc.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(doc.title).toBe('経費精算規程');
    const expense = doc.sections.find((section) => section.anchor.heading === '第3章 精算 > 3.2 経費');
    expect(expense?.text).toBe(
      '3.2 経費\n\n交通費は実費を支給する。①領収書を添付すること。㈱蔵の規定に従う。\n\n宿泊費の上限は1泊12,000円とする。',
    );
    expect(doc.sections.map((section) => section.anchor.heading)).toEqual([
      '経費精算規程',
      '第1章 総則',
      '第1章 総則 > 1.1 目的',
      '第3章 精算',
      '第3章 精算 > 3.2 経費',
    ]);
  });

  it('DOCX tables become " | "-separated rows', async () => {
    const doc = await parseDocument(
      await makeDocx({
        title: '料金表',
        chapters: [{ heading: '料金', paragraphs: ['下表の通り。'] }],
        table: [
          ['プラン', '月額'],
          ['標準', '1,000円'],
        ],
      }),
      {},
    );
    expect(textOf(doc)).toContain('プラン | 月額\n標準 | 1,000円');
  });

  it('XLSX: each sheet a table and a section of 列: 値 lines anchored at sheet and range', async () => {
    const doc = await parseDocument(await makeXlsx(), { fileName: '売上.xlsx' });
    expect(doc.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(doc.metadata.sheets).toBe('2');
    const sales = doc.sections.find((section) => section.anchor.sheet === '売上');
    expect(sales?.anchor).toEqual({ sheet: '売上', range: 'A2:D4' });
    expect(sales?.text.split('\n')).toEqual([
      '日付: 2025-04-01 | 商品: りんご | 数量: 10 | 金額: 1200',
      '日付: 2025-04-02 | 商品: みかん | 数量: 5 | 金額: 600',
      '日付: 2025-04-03 | 商品: ㈱蔵 特製ジャム | 数量: 2 | 金額: 1800',
    ]);
    expect(doc.tables[0]).toEqual({
      name: '売上',
      columns: ['日付', '商品', '数量', '金額'],
      rows: [
        ['2025-04-01', 'りんご', 10, 1200],
        ['2025-04-02', 'みかん', 5, 600],
        ['2025-04-03', '㈱蔵 特製ジャム', 2, 1800],
      ],
    });
    // A sheet that starts at B3 keeps its real addresses.
    expect(doc.sections.find((section) => section.anchor.sheet === '備考')?.anchor).toEqual({
      sheet: '備考',
      range: 'B4:B4',
    });
    const chunks = chunkSections(doc.sections);
    expect(chunks[0]?.anchor).toEqual({ sheet: '売上', range: 'A2:D4' });
  });

  it('XLSX: formulas give their results, dates ISO strings, large sheets chunk by row groups', async () => {
    const rows: (string | number | Date)[][] = [['日付', '品目', '金額']];
    for (let i = 0; i < 120; i++) rows.push([new Date(Date.UTC(2025, 0, 1 + i)), `品目${i + 1}`, i * 10]);
    const doc = await parseDocument(await makeXlsx([{ name: '明細', rows }]), {});
    expect(doc.tables[0]?.rows[0]).toEqual(['2025-01-01', '品目1', 0]);
    const chunks = chunkSections(doc.sections);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]?.anchor.range).toMatch(/^A2:C\d+$/);
    expect(chunks.at(-1)?.anchor.range).toMatch(/^A\d+:C121$/);
  });

  it('PPTX: one section per slide with its notes, anchored at the slide number', async () => {
    const doc = await parseDocument(await makePptx(), { fileName: '報告.pptx' });
    expect(doc.mimeType).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(doc.sections.map((section) => section.anchor)).toEqual([{ slide: 1 }, { slide: 2 }]);
    expect(doc.sections[0]?.text).toContain('第1四半期 売上報告');
    expect(doc.sections[0]?.text).toContain('売上高は前年同期比12%増');
    expect(doc.sections[0]?.text).toContain('数字は速報値です。');
    expect(doc.sections[1]?.text).toContain('新製品「蔵クラウド」を投入する');
    expect(doc.sections[1]?.text).not.toMatch(/^\s*2\s*$/m); // the notes page's slide-number field
  });

  it('HTML: main content only, headings as anchors, title from <title>', async () => {
    const doc = await parseDocument(makeHtml(), { fileName: 'faq.html' });
    expect(doc.mimeType).toBe('text/html');
    expect(doc.title).toBe('製品FAQ | 株式会社蔵');
    const all = textOf(doc);
    for (const furniture of [
      'サイト共通ヘッダー',
      'お問い合わせ',
      '採用情報',
      'サイト共通フッター',
      'スクリプト',
      'color: red',
    ]) {
      expect(all).not.toContain(furniture);
    }
    const login = doc.sections.find(
      (section) => section.anchor.heading === '製品FAQ | 株式会社蔵 > ログインについて',
    );
    // The source's line break between two Japanese characters is not a space.
    expect(login?.text).toBe(
      'ログインについて\n\nパスワードを忘れた場合は、管理者に再発行を依頼してください。',
    );
    expect(doc.sections.find((section) => section.anchor.heading?.endsWith('料金について'))?.text).toContain(
      '請求書は毎月5日に発行します。',
    );
  });

  it('HTML without a name is still HTML (sniffed from content)', async () => {
    const doc = await parseDocument(makeHtml(), {});
    expect(doc.mimeType).toBe('text/html');
  });

  it('Markdown: headings become the anchor path, markup disappears', async () => {
    const doc = await parseDocument(makeMarkdown(), { fileName: '就業規則.md' });
    expect(doc.mimeType).toBe('text/markdown');
    expect(doc.sections.map((section) => section.anchor.heading)).toEqual([
      '就業規則',
      '就業規則 > 第1章 総則',
      '就業規則 > 第2章 勤務',
    ]);
    expect(doc.sections[1]?.text).toBe('第1章 総則\n\nこの規則は、株式会社蔵の従業員に適用する。');
    expect(doc.sections[2]?.text).toContain('休憩は60分\n残業は事前申請');
  });

  it('Markdown: a paragraph wrapped by hand inside Japanese words reads whole, as a browser shows it', async () => {
    const source = Buffer.from(
      '# 苦情対応\n\nお客様から受け付けた苦情は、記録をして速やかに回答する。担当者は顧\n客満足度の調査に\n役立てる。\n',
    );
    const doc = await parseDocument(source, { fileName: '苦情対応.md' });
    expect(doc.sections[0]?.text).toBe(
      '苦情対応\n\nお客様から受け付けた苦情は、記録をして速やかに回答する。担当者は顧客満足度の調査に役立てる。',
    );
  });

  it('text and e-mail wrapped at a fixed width (as mail programs do) read whole; lists stay lines', async () => {
    const paragraph =
      'お客様から受け付けた苦情は、記録をして速やかに回答する。担当者は記録の写しを保管して、顧客満足度の調査に役立てる。調査の結果は毎年四月に取締役会へ報告する。';
    // 22 characters (44 columns) a line: the second line ends inside 顧客.
    const wrapped = paragraph.replace(/.{22}/gu, (line) => `${line}\n`).trimEnd();
    expect(wrapped).toContain('顧\n客');
    const body = `${wrapped}\n\n・東京本社\n・大阪支社\n`;
    const text = await parseDocument(Buffer.from(body), { fileName: '苦情対応.txt' });
    expect(text.sections[0]?.text).toBe(`${paragraph}\n\n・東京本社\n・大阪支社`);
    const mail = await parseDocument(makeEml({ subject: '苦情対応について', body }), {
      fileName: 'mail.eml',
    });
    expect(mail.sections[0]?.text).toContain(`${paragraph}\n\n・東京本社\n・大阪支社`);
    // A reply quotes the mail as it was wrapped, "> " before each line.
    const quoted = wrapped.replace(/^/gm, '> ');
    const reply = await parseDocument(
      makeEml({ subject: 'Re: 苦情対応について', body: `承知しました。\n\n${quoted}\n` }),
      { fileName: 'reply.eml' },
    );
    expect(reply.sections[0]?.text).toBe(`承知しました。\n\n> ${paragraph}`);
  });

  it('Markdown vs text: the name breaks the tie, content decides without one', async () => {
    const source = Buffer.from('# 議事録\n\n出席者: 全員\n');
    expect((await parseDocument(source, { fileName: 'memo.txt' })).mimeType).toBe('text/plain');
    expect((await parseDocument(source, {})).mimeType).toBe('text/markdown');
    expect((await parseDocument(Buffer.from('ただのメモです。\n'), {})).mimeType).toBe('text/plain');
  });

  it('CSV: a table and a section of 列: 値 lines with its range; numbers typed, codes kept as strings', async () => {
    const csv = Buffer.from('社員番号,氏名,年齢\r\n007,山田 太郎,35\r\n012,"佐藤, 花子",28\r\n');
    const doc = await parseDocument(csv, { fileName: '社員.csv' });
    expect(doc.mimeType).toBe('text/csv');
    expect(doc.tables).toEqual([
      {
        name: '社員',
        columns: ['社員番号', '氏名', '年齢'],
        rows: [
          ['007', '山田 太郎', 35],
          ['012', '佐藤, 花子', 28],
        ],
      },
    ]);
    expect(doc.sections).toEqual([
      {
        text: '社員番号: 007 | 氏名: 山田 太郎 | 年齢: 35\n社員番号: 012 | 氏名: 佐藤, 花子 | 年齢: 28',
        anchor: { range: 'A2:C3' },
      },
    ]);
  });

  it('plain text: line endings normalised, Japanese untouched (no NFKC: full-width stays full-width)', async () => {
    const doc = await parseDocument(Buffer.from('ＡＢＣ株式会社\r\n半角ｶﾅ　と全角スペース\r\n'), {
      fileName: 'a.txt',
    });
    expect(doc.sections).toEqual([{ text: 'ＡＢＣ株式会社\n半角ｶﾅ　と全角スペース', anchor: {} }]);
    expect(doc.metadata.encoding).toBe('UTF-8');
  });

  it('e-mail: ISO-2022-JP subject as title, from/to/date metadata, body, DOCX attachment parsed', async () => {
    const eml = makeEml({
      subject: '経費精算規程の改定について',
      body: '各位\n\n経費精算規程を改定しました。\n添付をご確認ください。',
      attachments: [
        {
          fileName: '経費精算規程.docx',
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          content: await makeDocx(),
        },
      ],
    });
    const doc = await parseDocument(eml, { fileName: 'mail.eml' });
    expect(doc.mimeType).toBe('message/rfc822');
    expect(doc.title).toBe('経費精算規程の改定について');
    expect(doc.metadata.from).toBe('山田太郎 <yamada@example.co.jp>');
    expect(doc.metadata.to).toBe('sato@example.co.jp');
    expect(doc.metadata.date).toBe('2025-04-01T01:00:00.000Z');
    expect(doc.sections[0]?.text).toBe('各位\n\n経費精算規程を改定しました。\n添付をご確認ください。');
    expect(doc.attachments).toHaveLength(1);
    expect(doc.attachments[0]?.title).toBe('経費精算規程');
    expect(
      doc.attachments[0]?.sections.some((section) => section.anchor.heading === '第3章 精算 > 3.2 経費'),
    ).toBe(true);
  });

  it('e-mail: attachments deeper than maxAttachmentDepth and unreadable ones become warnings', async () => {
    const inner = makeEml({
      subject: '内側',
      body: '内側の本文',
      attachments: [
        { fileName: 'a.docx', contentType: 'application/octet-stream', content: await makeDocx() },
      ],
    });
    const outer = makeEml({
      subject: '外側',
      body: '外側の本文',
      attachments: [
        { fileName: 'inner.eml', contentType: 'message/rfc822', content: inner },
        {
          fileName: 'photo.png',
          contentType: 'image/png',
          content: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
        },
      ],
    });
    const doc = await parseDocument(outer, {}, { maxAttachmentDepth: 1 });
    expect(doc.attachments.map((attachment) => attachment.title)).toEqual(['内側']);
    expect(doc.attachments[0]?.attachments).toEqual([]);
    expect(doc.attachments[0]?.warnings.join()).toMatch(
      /"a\.docx" was not parsed: attachments nest deeper than 1/,
    );
    expect(doc.warnings.join()).toMatch(
      /"photo\.png" was skipped \(unsupported_type\): Unsupported file type: PNG image/,
    );
  });

  it('language: ja, en and mixed', async () => {
    expect(
      (await parseDocument(Buffer.from('This is an English memo about expense reports and travel.'), {}))
        .language,
    ).toBe('en');
    expect(
      (
        await parseDocument(
          Buffer.from(
            'This English paragraph explains the policy in detail. 日本語の段落も同じくらいの長さで規程を説明する。',
          ),
          {},
        )
      ).language,
    ).toBe('mixed');
  });
});
