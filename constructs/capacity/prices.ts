/**
 * On-demand prices of the machine types the kit knows, for monthly cost estimates. The table
 * says where its figures come from and when they were taken; prices change, so treat the
 * result as an estimate and pass a current table (`npm run capacity -- --prices <file>`) when
 * it matters.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Hours in an average month (365 × 24 / 12), the convention both clouds' calculators use. */
export const HOURS_PER_MONTH = 730;

/**
 * The schema of a price table file: where and when the prices were read, their currency, and hourly
 * prices.
 */
export const priceTableSchema = z.strictObject({
  /** Where the figures were read. */
  source: z.string().min(1),
  /** When (YYYY-MM or YYYY-MM-DD). */
  asOf: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, { error: 'expected a date such as 2025-06 or 2025-06-01' }),
  /** The ISO 4217 currency code of every price: `USD`. */
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected a currency code such as USD' }),
  /** Hourly control-plane fee per cluster, by cloud. */
  controlPlane: z.record(z.string(), z.number().nonnegative()),
  /** Hourly price by cloud, region and machine type. */
  machines: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number().positive()))),
});

/** A validated price table. */
export type PriceTable = z.output<typeof priceTableSchema>;

/** Linux on-demand list prices (USD per hour) of the regions the example environments use. */
export const DEFAULT_PRICES: PriceTable = {
  source: 'AWS EC2 On-Demand pricing and Azure Linux Virtual Machines pay-as-you-go pricing pages (list prices, Linux, no discounts)',
  asOf: '2025-06',
  currency: 'USD',
  controlPlane: { aws: 0.1, azure: 0.1 },
  machines: {
    aws: {
      'us-east-1': {
        't2.micro': 0.0116, 't3.medium': 0.0416, 't3.large': 0.0832, 'c6i.large': 0.085, 'c6i.xlarge': 0.17,
        'm5.large': 0.096, 'm5.xlarge': 0.192, 'm6a.large': 0.0864, 'm6a.xlarge': 0.1728, 'm6i.large': 0.096,
        'm6i.xlarge': 0.192, 'm6i.2xlarge': 0.384, 'm7g.large': 0.0816, 'm7g.xlarge': 0.1632, 'r6i.large': 0.126, 'r6i.xlarge': 0.252,
      },
      'eu-west-1': {
        't2.micro': 0.0126, 't3.medium': 0.0456, 't3.large': 0.0912, 'c6i.large': 0.0912, 'c6i.xlarge': 0.1824,
        'm5.large': 0.107, 'm5.xlarge': 0.214, 'm6a.large': 0.0963, 'm6a.xlarge': 0.1926, 'm6i.large': 0.107,
        'm6i.xlarge': 0.214, 'm6i.2xlarge': 0.428, 'm7g.large': 0.0892, 'm7g.xlarge': 0.1784, 'r6i.large': 0.141, 'r6i.xlarge': 0.282,
      },
    },
    azure: {
      eastus: { Standard_B2s: 0.0416, Standard_D2s_v5: 0.096, Standard_D4s_v5: 0.192, Standard_D8s_v5: 0.384, Standard_E4s_v5: 0.252 },
      westeurope: { Standard_B2s: 0.048, Standard_D2s_v5: 0.115, Standard_D4s_v5: 0.23, Standard_D8s_v5: 0.46, Standard_E4s_v5: 0.304 },
    },
  },
};

/** A machine's hourly price, or undefined when the table has none for that region. */
export function hourlyPrice(table: PriceTable, cloud: string, region: string, machineType: string): number | undefined {
  return table.machines[cloud]?.[region]?.[machineType];
}

/** Reads a price table (YAML or JSON); throws naming the source, each bad key and what is expected. */
export function parsePriceTable(text: string, source: string): PriceTable {
  const parsed = priceTableSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${source}: not a price table:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
