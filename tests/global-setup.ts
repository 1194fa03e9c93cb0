// Placeholder until the database harness lands (lead is writing it).
export default async function setup(): Promise<void> {}
