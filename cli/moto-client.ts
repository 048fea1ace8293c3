/**
 * A minimal AWS client for moto: JSON-protocol calls and S3's REST calls with a placeholder signature (moto does not
 * verify signatures), so the command needs no AWS SDK at run time. Used to create the emulated resources and local
 * mode's Cognito clients.
 */
export class MotoClient {
  constructor(private readonly endpoint: string, private readonly region: string) {}

  async json(service: string, target: string, jsonVersion: string, body: unknown): Promise<any> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': `application/x-amz-json-${jsonVersion}`,
        'x-amz-target': target,
        'authorization': this.authorization(service),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${target} failed with ${response.status}: ${text}`);
    return text ? JSON.parse(text) : {};
  }

  async createBucket(name: string): Promise<void> {
    const body = this.region === 'us-east-1' ? undefined
      : `<CreateBucketConfiguration><LocationConstraint>${this.region}</LocationConstraint></CreateBucketConfiguration>`;
    const response = await fetch(`${this.endpoint}/${name}`, { method: 'PUT', headers: { authorization: this.authorization('s3') }, body });
    if (!response.ok) throw new Error(`CreateBucket ${name} failed with ${response.status}: ${await response.text()}`);
  }

  async listBuckets(): Promise<void> {
    const response = await fetch(`${this.endpoint}/`, { headers: { authorization: this.authorization('s3') } });
    if (!response.ok) throw new Error(`ListBuckets failed with ${response.status}: ${await response.text()}`);
  }

  private authorization(service: string): string {
    return `AWS4-HMAC-SHA256 Credential=testing/20260101/${this.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  }
}
