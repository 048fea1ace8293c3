/**
 * A small evaluator of CloudWatch metric-math expressions (numbers, metric ids, + - * /, comparisons, IF and
 * parentheses), as documented in "Using metric math" of the CloudWatch user guide, to check what a synthesized alarm
 * would do with given metric values, independently of the code that wrote the expression.
 */
export function evaluateMetricMath(expression: string, values: Record<string, number>): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[-+*/(),<>]/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected} at token ${position} of ${expression}`);
    return token;
  };

  const comparison = (): number => {
    let left = additive();
    while (['>', '<', '>=', '<=', '==', '!='].includes(peek())) {
      const operator = take();
      const right = additive();
      const result = { '>': left > right, '<': left < right, '>=': left >= right, '<=': left <= right, '==': left === right, '!=': left !== right }[operator];
      left = result ? 1 : 0;
    }
    return left;
  };
  const additive = (): number => {
    let left = multiplicative();
    while (peek() === '+' || peek() === '-') left = take() === '+' ? left + multiplicative() : left - multiplicative();
    return left;
  };
  const multiplicative = (): number => {
    let left = unary();
    while (peek() === '*' || peek() === '/') left = take() === '*' ? left * unary() : left / unary();
    return left;
  };
  const unary = (): number => (peek() === '-' ? (take(), -unary()) : primary());
  const primary = (): number => {
    const token = take();
    if (token === '(') {
      const value = comparison();
      take(')');
      return value;
    }
    if (token === 'IF') {
      take('(');
      const condition = comparison();
      take(',');
      const whenTrue = comparison();
      take(',');
      const whenFalse = comparison();
      take(')');
      return condition !== 0 ? whenTrue : whenFalse;
    }
    if (/^\d/.test(token)) return Number(token);
    if (!(token in values)) throw new Error(`no value for metric ${token} in ${expression}`);
    return values[token];
  };

  const result = comparison();
  if (position !== tokens.length) throw new Error(`unexpected ${peek()} in ${expression}`);
  return result;
}

/** Whether a value breaches an alarm's threshold under its CloudFormation `ComparisonOperator`. */
export function breaches(value: number, comparisonOperator: string, threshold: number): boolean {
  switch (comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
    default: throw new Error(`unknown comparison operator ${comparisonOperator}`);
  }
}
