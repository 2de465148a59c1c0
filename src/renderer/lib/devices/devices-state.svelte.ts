import type { DeviceProfile, LitheApi } from '../../../contract';
import { Task } from '../app/task.svelte';
import { draftFrom, type ProfileDraft } from './profile-form';

/** The devices page: the profiles, the estimate for the open model, and the profile being edited. */
export class DevicesState {
  readonly list: Task<'devices.list'>;
  readonly estimate: Task<'devices.estimate'>;
  readonly save: Task<'devices.save'>;
  /** The profile form's content; null while the form is closed. */
  draft: ProfileDraft | null = $state(null);
  editing = $state(false);
  savedName = $state('');

  constructor(api: LitheApi) {
    this.list = new Task(api, 'devices.list');
    this.estimate = new Task(api, 'devices.estimate');
    this.save = new Task(api, 'devices.save');
  }

  load(): void {
    if (this.list.state.kind !== 'running') void this.list.run({});
  }

  edit(profile: DeviceProfile, copy: boolean): void {
    this.draft = draftFrom(profile, copy);
    this.editing = !copy;
    this.savedName = '';
  }

  close(): void {
    this.draft = null;
    this.save.reset();
  }

  async store(profile: DeviceProfile): Promise<void> {
    const saved = await this.save.run({ profile });
    if (!saved) return;
    this.savedName = saved.name;
    this.draft = null;
    this.load();
  }
}
