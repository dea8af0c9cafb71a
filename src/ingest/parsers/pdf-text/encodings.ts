/**
 * The simple-font encodings the fast path understands, as glyph names per code, and the Unicode
 * value of every glyph name they use. Generated from pdf.js's own tables (Apache-2.0,
 * src/core/encodings.js and glyphlist.js) so that the fast path maps codes exactly as pdf.js does.
 */
/** 256 glyph names, whitespace-separated, "-" for a code with no glyph. */
function glyphNames(list: string): readonly string[] {
  return list
    .trim()
    .split(/\s+/)
    .map((name) => (name === '-' ? '' : name));
}

export const WIN_ANSI_ENCODING: readonly string[] = glyphNames(`
  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - space exclam quotedbl numbersign
  dollar percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen period
  slash zero one two three four five six seven eight nine colon semicolon less equal greater
  question at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash
  bracketright asciicircum underscore grave a b c d e f g h i j k l m n o p q r s t u v w x y z
  braceleft bar braceright asciitilde bullet Euro bullet quotesinglbase florin quotedblbase
  ellipsis dagger daggerdbl circumflex perthousand Scaron guilsinglleft OE bullet Zcaron bullet
  bullet quoteleft quoteright quotedblleft quotedblright bullet endash emdash tilde trademark
  scaron guilsinglright oe bullet zcaron Ydieresis space exclamdown cent sterling currency yen
  brokenbar section dieresis copyright ordfeminine guillemotleft logicalnot hyphen registered
  macron degree plusminus twosuperior threesuperior acute mu paragraph periodcentered cedilla
  onesuperior ordmasculine guillemotright onequarter onehalf threequarters questiondown Agrave
  Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave
  Iacute Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex Otilde Odieresis multiply
  Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls agrave aacute acircumflex
  atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis igrave iacute icircumflex
  idieresis eth ntilde ograve oacute ocircumflex otilde odieresis divide oslash ugrave uacute
  ucircumflex udieresis yacute thorn ydieresis
`);

export const MAC_ROMAN_ENCODING: readonly string[] = glyphNames(`
  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - space exclam quotedbl numbersign
  dollar percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen period
  slash zero one two three four five six seven eight nine colon semicolon less equal greater
  question at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash
  bracketright asciicircum underscore grave a b c d e f g h i j k l m n o p q r s t u v w x y z
  braceleft bar braceright asciitilde - Adieresis Aring Ccedilla Eacute Ntilde Odieresis Udieresis
  aacute agrave acircumflex adieresis atilde aring ccedilla eacute egrave ecircumflex edieresis
  iacute igrave icircumflex idieresis ntilde oacute ograve ocircumflex odieresis otilde uacute
  ugrave ucircumflex udieresis dagger degree cent sterling section bullet paragraph germandbls
  registered copyright trademark acute dieresis notequal AE Oslash infinity plusminus lessequal
  greaterequal yen mu partialdiff summation product pi integral ordfeminine ordmasculine Omega ae
  oslash questiondown exclamdown logicalnot radical florin approxequal Delta guillemotleft
  guillemotright ellipsis space Agrave Atilde Otilde OE oe endash emdash quotedblleft
  quotedblright quoteleft quoteright divide lozenge ydieresis Ydieresis fraction currency
  guilsinglleft guilsinglright fi fl daggerdbl periodcentered quotesinglbase quotedblbase
  perthousand Acircumflex Ecircumflex Aacute Edieresis Egrave Iacute Icircumflex Idieresis Igrave
  Oacute Ocircumflex apple Ograve Uacute Ucircumflex Ugrave dotlessi circumflex tilde macron breve
  dotaccent ring cedilla hungarumlaut ogonek caron
`);

export const STANDARD_ENCODING: readonly string[] = glyphNames(`
  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - space exclam quotedbl numbersign
  dollar percent ampersand quoteright parenleft parenright asterisk plus comma hyphen period slash
  zero one two three four five six seven eight nine colon semicolon less equal greater question at
  A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash bracketright
  asciicircum underscore quoteleft a b c d e f g h i j k l m n o p q r s t u v w x y z braceleft
  bar braceright asciitilde - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
  exclamdown cent sterling fraction yen florin section currency quotesingle quotedblleft
  guillemotleft guilsinglleft guilsinglright fi fl - endash dagger daggerdbl periodcentered -
  paragraph bullet quotesinglbase quotedblbase quotedblright guillemotright ellipsis perthousand -
  questiondown - grave acute circumflex tilde macron breve dotaccent dieresis - ring cedilla -
  hungarumlaut ogonek caron emdash - - - - - - - - - - - - - - - - AE - ordfeminine - - - - Lslash
  Oslash OE ordmasculine - - - - - ae - - - dotlessi - - lslash oslash oe germandbls - - - -
`);

/** Glyph name → UTF-16 code unit, for exactly the names the encodings above contain. */
export const GLYPH_UNICODE: ReadonlyMap<string, number> = new Map([
  ['A', 0x0041],
  ['AE', 0x00c6],
  ['Aacute', 0x00c1],
  ['Acircumflex', 0x00c2],
  ['Adieresis', 0x00c4],
  ['Agrave', 0x00c0],
  ['Aring', 0x00c5],
  ['Atilde', 0x00c3],
  ['B', 0x0042],
  ['C', 0x0043],
  ['Ccedilla', 0x00c7],
  ['D', 0x0044],
  ['Delta', 0x2206],
  ['E', 0x0045],
  ['Eacute', 0x00c9],
  ['Ecircumflex', 0x00ca],
  ['Edieresis', 0x00cb],
  ['Egrave', 0x00c8],
  ['Eth', 0x00d0],
  ['Euro', 0x20ac],
  ['F', 0x0046],
  ['G', 0x0047],
  ['H', 0x0048],
  ['I', 0x0049],
  ['Iacute', 0x00cd],
  ['Icircumflex', 0x00ce],
  ['Idieresis', 0x00cf],
  ['Igrave', 0x00cc],
  ['J', 0x004a],
  ['K', 0x004b],
  ['L', 0x004c],
  ['Lslash', 0x0141],
  ['M', 0x004d],
  ['N', 0x004e],
  ['Ntilde', 0x00d1],
  ['O', 0x004f],
  ['OE', 0x0152],
  ['Oacute', 0x00d3],
  ['Ocircumflex', 0x00d4],
  ['Odieresis', 0x00d6],
  ['Ograve', 0x00d2],
  ['Omega', 0x2126],
  ['Oslash', 0x00d8],
  ['Otilde', 0x00d5],
  ['P', 0x0050],
  ['Q', 0x0051],
  ['R', 0x0052],
  ['S', 0x0053],
  ['Scaron', 0x0160],
  ['T', 0x0054],
  ['Thorn', 0x00de],
  ['U', 0x0055],
  ['Uacute', 0x00da],
  ['Ucircumflex', 0x00db],
  ['Udieresis', 0x00dc],
  ['Ugrave', 0x00d9],
  ['V', 0x0056],
  ['W', 0x0057],
  ['X', 0x0058],
  ['Y', 0x0059],
  ['Yacute', 0x00dd],
  ['Ydieresis', 0x0178],
  ['Z', 0x005a],
  ['Zcaron', 0x017d],
  ['a', 0x0061],
  ['aacute', 0x00e1],
  ['acircumflex', 0x00e2],
  ['acute', 0x00b4],
  ['adieresis', 0x00e4],
  ['ae', 0x00e6],
  ['agrave', 0x00e0],
  ['ampersand', 0x0026],
  ['apple', 0xf8ff],
  ['approxequal', 0x2248],
  ['aring', 0x00e5],
  ['asciicircum', 0x005e],
  ['asciitilde', 0x007e],
  ['asterisk', 0x002a],
  ['at', 0x0040],
  ['atilde', 0x00e3],
  ['b', 0x0062],
  ['backslash', 0x005c],
  ['bar', 0x007c],
  ['braceleft', 0x007b],
  ['braceright', 0x007d],
  ['bracketleft', 0x005b],
  ['bracketright', 0x005d],
  ['breve', 0x02d8],
  ['brokenbar', 0x00a6],
  ['bullet', 0x2022],
  ['c', 0x0063],
  ['caron', 0x02c7],
  ['ccedilla', 0x00e7],
  ['cedilla', 0x00b8],
  ['cent', 0x00a2],
  ['circumflex', 0x02c6],
  ['colon', 0x003a],
  ['comma', 0x002c],
  ['copyright', 0x00a9],
  ['currency', 0x00a4],
  ['d', 0x0064],
  ['dagger', 0x2020],
  ['daggerdbl', 0x2021],
  ['degree', 0x00b0],
  ['dieresis', 0x00a8],
  ['divide', 0x00f7],
  ['dollar', 0x0024],
  ['dotaccent', 0x02d9],
  ['dotlessi', 0x0131],
  ['e', 0x0065],
  ['eacute', 0x00e9],
  ['ecircumflex', 0x00ea],
  ['edieresis', 0x00eb],
  ['egrave', 0x00e8],
  ['eight', 0x0038],
  ['ellipsis', 0x2026],
  ['emdash', 0x2014],
  ['endash', 0x2013],
  ['equal', 0x003d],
  ['eth', 0x00f0],
  ['exclam', 0x0021],
  ['exclamdown', 0x00a1],
  ['f', 0x0066],
  ['fi', 0xfb01],
  ['five', 0x0035],
  ['fl', 0xfb02],
  ['florin', 0x0192],
  ['four', 0x0034],
  ['fraction', 0x2044],
  ['g', 0x0067],
  ['germandbls', 0x00df],
  ['grave', 0x0060],
  ['greater', 0x003e],
  ['greaterequal', 0x2265],
  ['guillemotleft', 0x00ab],
  ['guillemotright', 0x00bb],
  ['guilsinglleft', 0x2039],
  ['guilsinglright', 0x203a],
  ['h', 0x0068],
  ['hungarumlaut', 0x02dd],
  ['hyphen', 0x002d],
  ['i', 0x0069],
  ['iacute', 0x00ed],
  ['icircumflex', 0x00ee],
  ['idieresis', 0x00ef],
  ['igrave', 0x00ec],
  ['infinity', 0x221e],
  ['integral', 0x222b],
  ['j', 0x006a],
  ['k', 0x006b],
  ['l', 0x006c],
  ['less', 0x003c],
  ['lessequal', 0x2264],
  ['logicalnot', 0x00ac],
  ['lozenge', 0x25ca],
  ['lslash', 0x0142],
  ['m', 0x006d],
  ['macron', 0x00af],
  ['mu', 0x00b5],
  ['multiply', 0x00d7],
  ['n', 0x006e],
  ['nine', 0x0039],
  ['notequal', 0x2260],
  ['ntilde', 0x00f1],
  ['numbersign', 0x0023],
  ['o', 0x006f],
  ['oacute', 0x00f3],
  ['ocircumflex', 0x00f4],
  ['odieresis', 0x00f6],
  ['oe', 0x0153],
  ['ogonek', 0x02db],
  ['ograve', 0x00f2],
  ['one', 0x0031],
  ['onehalf', 0x00bd],
  ['onequarter', 0x00bc],
  ['onesuperior', 0x00b9],
  ['ordfeminine', 0x00aa],
  ['ordmasculine', 0x00ba],
  ['oslash', 0x00f8],
  ['otilde', 0x00f5],
  ['p', 0x0070],
  ['paragraph', 0x00b6],
  ['parenleft', 0x0028],
  ['parenright', 0x0029],
  ['partialdiff', 0x2202],
  ['percent', 0x0025],
  ['period', 0x002e],
  ['periodcentered', 0x00b7],
  ['perthousand', 0x2030],
  ['pi', 0x03c0],
  ['plus', 0x002b],
  ['plusminus', 0x00b1],
  ['product', 0x220f],
  ['q', 0x0071],
  ['question', 0x003f],
  ['questiondown', 0x00bf],
  ['quotedbl', 0x0022],
  ['quotedblbase', 0x201e],
  ['quotedblleft', 0x201c],
  ['quotedblright', 0x201d],
  ['quoteleft', 0x2018],
  ['quoteright', 0x2019],
  ['quotesinglbase', 0x201a],
  ['quotesingle', 0x0027],
  ['r', 0x0072],
  ['radical', 0x221a],
  ['registered', 0x00ae],
  ['ring', 0x02da],
  ['s', 0x0073],
  ['scaron', 0x0161],
  ['section', 0x00a7],
  ['semicolon', 0x003b],
  ['seven', 0x0037],
  ['six', 0x0036],
  ['slash', 0x002f],
  ['space', 0x0020],
  ['sterling', 0x00a3],
  ['summation', 0x2211],
  ['t', 0x0074],
  ['thorn', 0x00fe],
  ['three', 0x0033],
  ['threequarters', 0x00be],
  ['threesuperior', 0x00b3],
  ['tilde', 0x02dc],
  ['trademark', 0x2122],
  ['two', 0x0032],
  ['twosuperior', 0x00b2],
  ['u', 0x0075],
  ['uacute', 0x00fa],
  ['ucircumflex', 0x00fb],
  ['udieresis', 0x00fc],
  ['ugrave', 0x00f9],
  ['underscore', 0x005f],
  ['v', 0x0076],
  ['w', 0x0077],
  ['x', 0x0078],
  ['y', 0x0079],
  ['yacute', 0x00fd],
  ['ydieresis', 0x00ff],
  ['yen', 0x00a5],
  ['z', 0x007a],
  ['zcaron', 0x017e],
  ['zero', 0x0030],
]);
