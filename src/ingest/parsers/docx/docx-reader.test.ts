import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deflateEntry, writeZip } from '../../../../test/fixtures/zip-writer.js';
import { parseDocument } from '../parse-document.js';
import { ParseError } from '../parse-error.js';

/**
 * What Word writes beyond the fixture generator, as hand-written WordprocessingML: text boxes with
 * their fallback, ruby, outline levels, revisions, symbols, fields, nested tables; and broken XML.
 */
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const NAMESPACES = `xmlns:w="${W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"`;

function docx(body: string, parts: Record<string, string> = {}): Buffer {
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NAMESPACES}><w:body>${body}</w:body></w:document>`;
  return writeZip([
    deflateEntry('word/document.xml', Buffer.from(document)),
    ...Object.entries(parts).map(([name, xml]) => deflateEntry(name, Buffer.from(xml))),
  ]);
}

const p = (text: string, properties = '') =>
  `<w:p><w:pPr>${properties}</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const styles = (inner: string) => `<w:styles xmlns:w="${W}">${inner}</w:styles>`;

async function sections(bytes: Buffer) {
  return (await parseDocument(bytes, { fileName: 'a.docx' })).sections;
}

async function failure(bytes: Buffer): Promise<ParseError> {
  const error = await parseDocument(bytes, { fileName: 'a.docx' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

describe('DOCX reader', () => {
  it('reads a text box once, though Word writes it twice (DrawingML and its VML fallback)', async () => {
    const box = `<w:txbxContent>${p('枠の中の文')}</w:txbxContent>`;
    const bytes = docx(
      `<w:p><w:r><w:t>前の文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>${box}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>${box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>${p('後の文')}`,
    );
    expect((await sections(bytes)).map((section) => section.text)).toEqual([
      '前の文\n\n枠の中の文\n\n後の文',
    ]);
  });

  it('keeps ruby base text, not the reading; inserted text, not deleted text or field codes', async () => {
    const bytes = docx(
      `<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>とうきょう</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>東京</w:t></w:r></w:rubyBase></w:ruby></w:r>` +
        `<w:del w:id="1" w:author="a"><w:r><w:delText>削除</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>挿入</w:t></w:r></w:ins>` +
        `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
    );
    expect((await sections(bytes))[0]?.text).toBe('東京挿入3');
  });

  it('a deleted paragraph mark joins the paragraph to the next; a deleted row is gone', async () => {
    const row = (cells: string[], properties = '') =>
      `<w:tr><w:trPr>${properties}</w:trPr>${cells.map((cell) => `<w:tc>${p(cell)}</w:tc>`).join('')}</w:tr>`;
    const bytes = docx(
      `${p('前半', '<w:rPr><w:del w:id="1" w:author="a"/></w:rPr>')}${p('後半')}` +
        `<w:tbl><w:tblPr/>${row(['項目', '値'])}${row(['消えた', '行'], '<w:del w:id="2" w:author="a"/>')}${row(['残る', '行'])}</w:tbl>`,
    );
    expect((await sections(bytes))[0]?.text).toBe('前半後半\n\n項目 | 値\n残る | 行');
  });

  it('headings by outline level too, direct or inherited through basedOn', async () => {
    const bytes = docx(
      `${p('第1章', '<w:pStyle w:val="Chapter"/>')}${p('本文')}${p('1.1 節', '<w:pStyle w:val="Section"/>')}${p('節の本文')}${p('付録', '<w:outlineLvl w:val="0"/>')}${p('付録の本文')}`,
      {
        'word/styles.xml': styles(
          `<w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="章見出し"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
            `<w:style w:type="paragraph" w:styleId="Section"><w:name w:val="節見出し"/><w:basedOn w:val="Sub"/></w:style>` +
            `<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="base"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>`,
        ),
      },
    );
    expect((await sections(bytes)).map((section) => section.anchor.heading)).toEqual([
      '第1章',
      '第1章 > 1.1 節',
      '付録',
    ]);
  });

  it('decodes entities and character references; w:cr and w:br are line breaks, w:tab a space', async () => {
    const bytes = docx(
      `<w:p><w:r><w:t>A &amp; B &lt;C&gt; &quot;D&quot; &#x6771;&#20140;</w:t><w:cr/><w:t>次の行</w:t><w:br/><w:t>三行目</w:t><w:tab/><w:t>タブ後</w:t><w:br w:type="page"/><w:sym w:font="Symbol" w:char="F061"/></w:r></w:p>`,
    );
    expect((await sections(bytes))[0]?.text).toBe('A & B <C> "D" 東京\n次の行\n三行目 タブ後α');
  });

  it('nested tables stay inside their cell; a merged cell is one cell', async () => {
    const inner = `<w:tbl><w:tr><w:tc>${p('内1')}</w:tc><w:tc>${p('内2')}</w:tc></w:tr></w:tbl>`;
    const bytes = docx(
      `<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>${p('結合')}</w:tc><w:tc>${inner}</w:tc></w:tr>` +
        `<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>${p('')}</w:tc><w:tc>${p('下')}</w:tc></w:tr></w:tbl>`,
    );
    expect((await sections(bytes))[0]?.text).toBe('結合 | 内1 | 内2\n下');
  });

  it('says what it skipped: equations, symbols without Unicode, comments', async () => {
    const doc = await parseDocument(
      docx(
        `<w:p><w:r><w:t>式:</w:t></w:r><m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath><w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r></w:p>`,
        { 'word/comments.xml': `<w:comments xmlns:w="${W}"/>` },
      ),
      { fileName: 'a.docx' },
    );
    expect(doc.sections[0]?.text).toBe('式:');
    expect(doc.warnings).toEqual([
      'DOCX: 1 equation(s) skipped (equations are not read as text).',
      'DOCX: 1 symbol-font character(s) skipped (no Unicode equivalent).',
      'DOCX: comments are not indexed.',
    ]);
  });

  it('broken XML, a DTD or absurd nesting: corrupt_file with the reason', async () => {
    expect((await failure(docx(`<w:p><w:r><w:t>閉じない</w:r></w:p>`))).message).toMatch(
      /main part is damaged XML: <\/w:r> closes <w:t>/,
    );
    const dtd = writeZip([
      deflateEntry(
        'word/document.xml',
        Buffer.from(`<!DOCTYPE x [<!ENTITY a "aaaa">]><w:document xmlns:w="${W}"><w:body/></w:document>`),
      ),
    ]);
    expect((await failure(dtd)).message).toMatch(/document type declaration/);
    const bodiless = writeZip([
      deflateEntry(
        'word/document.xml',
        Buffer.from(`<ns0:document xmlns:ns0="${W}"><ns0:body/></ns0:document>`),
      ),
    ]);
    expect((await failure(bodiless)).message).toBe("The Word document's main part has no body (w:body).");
    const deep = docx(
      `${'<w:sdt><w:sdtContent>'.repeat(300)}${p('深い')}${'</w:sdtContent></w:sdt>'.repeat(300)}`,
    );
    expect((await failure(deep)).message).toBe(
      'The Word document nests elements more than 500 levels deep; no real document does.',
    );
    const truncated = writeZip([
      deflateEntry('word/document.xml', Buffer.from(`<w:document xmlns:w="${W}"><w:body>${p('途中まで')}`)),
    ]);
    expect((await failure(truncated)).message).toMatch(/<w:body> is never closed \(truncated\?\)/);
  });

  it('on damaged XML (cut, spliced, characters replaced): sections or a ParseError, nothing else', async () => {
    const body = `${p('見出し', '<w:pStyle w:val="Heading1"/>')}${p('本文 &amp; 続き')}<w:tbl><w:tr><w:tc>${p('セル')}</w:tc></w:tr></w:tbl>`;
    const xml = `<w:document ${NAMESPACES}><w:body>${body}</w:body></w:document>`;
    const damage = fc.record({
      at: fc.nat({ max: xml.length }),
      cut: fc.nat({ max: 40 }),
      insert: fc.constantFrom(
        '',
        '<',
        '>',
        '&',
        '&#x0;',
        '"',
        '</w:p>',
        '<w:p>',
        '<!--',
        ']]>',
        '<w:t>',
        '\u0000',
      ),
    });
    await fc.assert(
      fc.asyncProperty(damage, async ({ at, cut, insert }) => {
        const damaged = xml.slice(0, at) + insert + xml.slice(at + cut);
        const bytes = writeZip([deflateEntry('word/document.xml', Buffer.from(damaged))]);
        try {
          const doc = await parseDocument(bytes, { fileName: 'a.docx' });
          expect(doc.sections.every((section) => !section.text.includes('\u0000'))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
