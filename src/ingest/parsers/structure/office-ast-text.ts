import type { OfficeContentNode } from 'officeparser';

const CELL_SEPARATOR = ' | ';

/**
 * Plain text of an officeparser AST node. Leaves carry `text`; containers sometimes repeat their
 * children's text and sometimes do not, so text is always rebuilt from the leaves: inline runs
 * joined as they are, block children on their own lines, table cells joined with " | ".
 */
export function officeNodeText(node: OfficeContentNode): string {
  const children = node.children ?? [];
  if (children.length === 0) return node.text ?? '';
  switch (node.type) {
    case 'table':
    case 'list':
    case 'slide':
    case 'note':
    case 'sheet':
    case 'page':
      return joinBlocks(children.map(officeNodeText), '\n');
    case 'row':
      return children
        .map((cell) =>
          officeNodeText(cell)
            .replace(/\s*\n\s*/g, ' ')
            .trim(),
        )
        .join(CELL_SEPARATOR);
    default:
      if (children.every((child) => child.type === 'text' || child.type === 'break')) {
        return children.map((child) => (child.type === 'break' ? '\n' : (child.text ?? ''))).join('');
      }
      return joinBlocks(children.map(officeNodeText), '\n');
  }
}

function joinBlocks(parts: string[], separator: string): string {
  return parts
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(separator);
}
